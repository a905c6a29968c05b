import { describe, expect, it } from 'vitest';
import { htmlUnescape } from '../../../../src/pipeline/clip/tokenizer/html-unescape';
import { HTML5_NAMED_ENTITIES } from '../../../../src/pipeline/clip/tokenizer/html-entities';

// Expected values follow the HTML5 spec's character-reference rules as CPython's html.unescape
// implements them (checked by hand against the spec's tables).
describe("htmlUnescape (Python's html.unescape)", () => {
  it('decodes named references, with and without the semicolon for legacy names', () => {
    expect(htmlUnescape('Tom &amp; Jerry')).toBe('Tom & Jerry');
    expect(htmlUnescape('&lt;b&gt;bold&lt;/b&gt;')).toBe('<b>bold</b>');
    expect(htmlUnescape('&nbsp;&hellip;&copy;&euro;&mdash;')).toBe(
      '\u00a0\u2026\u00a9\u20ac\u2014',
    );
    expect(htmlUnescape('&eacute &Eacute; &amp &AMP;')).toBe('é É & &');
    expect(htmlUnescape('&NotNestedGreaterGreater; &fjlig;')).toBe('\u2aa2\u0338 fj');
  });

  it('takes the longest known prefix when a name is not complete', () => {
    expect(htmlUnescape('&notin')).toBe('¬in');
    expect(htmlUnescape('&notin;')).toBe('∉');
    expect(htmlUnescape('&ampfoo')).toBe('&foo');
    expect(htmlUnescape('&lt' + 'x'.repeat(40))).toBe('<' + 'x'.repeat(40));
  });

  it('decodes decimal and hex numeric references with the HTML5 replacements', () => {
    expect(htmlUnescape('&#65;&#x42;&#X43;&#x44')).toBe('ABCD');
    expect(htmlUnescape('&#65x')).toBe('Ax');
    expect(htmlUnescape('&#128512;')).toBe('😀');
    expect(htmlUnescape('&#128; &#x80; &#x99;')).toBe('€ € ™');
    expect(htmlUnescape('&#13;')).toBe('\r');
    for (const bad of ['&#0;', '&#xD800;', '&#1114112;', '&#99999999999999999999;']) {
      expect(htmlUnescape(bad), bad).toBe('\ufffd');
    }
    for (const dropped of ['&#1;', '&#x7f;', '&#xFFFF;', '&#x10FFFE;', '&#xFDD0;']) {
      expect(htmlUnescape(dropped), dropped).toBe('');
    }
  });

  it('leaves text that is not a reference alone (including Object.prototype names)', () => {
    for (const s of [
      '&constructor;',
      '&toString',
      '&hasOwnProperty;',
      '&#;',
      '&#x;',
      '& alone',
      'a&b',
      'no amp',
    ]) {
      expect(htmlUnescape(s), s).toBe(s);
    }
    const tooLong = '&' + 'a'.repeat(40) + ';';
    expect(htmlUnescape(tooLong)).toBe(tooLong);
  });

  it('unescapes once per call (CLIP calls it twice)', () => {
    expect(htmlUnescape('&amp;lt;')).toBe('&lt;');
    expect(htmlUnescape(htmlUnescape('&amp;lt;'))).toBe('<');
  });

  it('carries the full HTML5 table (2,231 names)', () => {
    expect(Object.keys(HTML5_NAMED_ENTITIES).length).toBe(2231);
  });
});
