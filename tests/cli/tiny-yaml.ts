/**
 * A YAML reader for the subset our deployment manifests use (docs/scale-out/*.yaml): block maps
 * and lists by indentation, `- key: value` items, full-line comments, plain, quoted and JSON flow
 * scalars (`["a", "b"]`). Anything else (anchors, multi-line strings, tabs) is an error, so a
 * manifest that drifts from the subset fails its test rather than parsing wrongly.
 */
type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

function scalar(text: string, no: number): Yaml {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('{') || t.startsWith('"')) {
    try {
      return JSON.parse(t) as Yaml;
    } catch {
      throw new Error(`line ${no}: not a JSON flow value: ${t}`);
    }
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'")) throw new Error(`line ${no}: unterminated quote`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (/[&*!|>]/.test(t[0] ?? '')) throw new Error(`line ${no}: unsupported YAML: ${t}`);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null' || t === '~') return null;
  if (/^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/ #/.test(t)) throw new Error(`line ${no}: inline comments are not supported`);
  return t;
}

export function parseTinyYaml(source: string): Yaml {
  const lines: Line[] = [];
  source.split('\n').forEach((raw, i) => {
    if (raw.includes('\t')) throw new Error(`line ${i + 1}: tab`);
    const text = raw.trimEnd();
    if (text.trim() === '' || text.trim().startsWith('#') || text === '---') return;
    lines.push({ indent: text.length - text.trimStart().length, text: text.trim(), no: i + 1 });
  });
  let i = 0;
  const block = (indent: number): Yaml => {
    const first = lines[i];
    if (first.text === '-' || first.text.startsWith('- ')) return list(indent);
    return map(indent);
  };
  const map = (indent: number): Yaml => {
    const out: Record<string, Yaml> = {};
    while (i < lines.length && lines[i].indent === indent) {
      const { text, no } = lines[i];
      const m = /^([A-Za-z0-9_./-]+):(?:\s+(.*))?$/.exec(text);
      if (!m) throw new Error(`line ${no}: expected 'key: value', got '${text}'`);
      if (m[1] in out) throw new Error(`line ${no}: duplicate key ${m[1]}`);
      i++;
      if (m[2] !== undefined) out[m[1]] = scalar(m[2], no);
      else if (i < lines.length && lines[i].indent > indent) out[m[1]] = block(lines[i].indent);
      else out[m[1]] = null;
    }
    if (i < lines.length && lines[i].indent > indent)
      throw new Error(`line ${lines[i].no}: unexpected indentation`);
    return out;
  };
  const list = (indent: number): Yaml => {
    const out: Yaml[] = [];
    while (i < lines.length && lines[i].indent === indent && /^-( |$)/.test(lines[i].text)) {
      const { text, no } = lines[i];
      const rest = text.slice(1).trimStart();
      if (rest === '') {
        i++;
        out.push(block(lines[i].indent));
      } else if (/^[A-Za-z0-9_./-]+:(\s|$)/.test(rest)) {
        // "- key: value": a map whose keys sit two columns in.
        lines[i] = { indent: indent + 2, text: rest, no };
        out.push(map(indent + 2));
      } else {
        i++;
        out.push(scalar(rest, no));
      }
    }
    return out;
  };
  const doc = block(lines[0]?.indent ?? 0);
  if (i < lines.length) throw new Error(`line ${lines[i].no}: unexpected content`);
  return doc;
}
