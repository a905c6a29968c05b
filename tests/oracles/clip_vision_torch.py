"""Torch reference for dense one-pass CLIP features (MaskCLIP / ClearCLIP / NACLIP / SCLIP).

Plain-torch copies of Hugging Face's CLIPVisionModelWithProjection and CLIPTextModelWithProjection
(same module names, parameter names and arithmetic; transformers itself is not installed here),
random weights, exported with torch.onnx.export into the folder layout transformers.js uses
(onnx/vision_model.onnx, onnx/text_model.onnx, config.json; the caller adds tokenizer.json).
With --reference it also writes float64 torch references as .npy files:

  pixel_values [B,3,224,224] (float32; what was fed), image_embeds [B,P],
  stream_last [B,T,W] (residual stream entering the last block),
  dense_<method> [B, rows*cols, P] for maskclip, clearclip, naclip, sclip (L2-normalised, no CLS).

Run with Debian's python3 (torch 1.13):
  python3 clip_vision_torch.py --out DIR --patch 32 --width 64 --layers 2 --heads 4 --mlp 256 \
      --proj 32 --opsets 14,17 --reference --batch 2
Each opset gets DIR/opset<N>/ (a loadable model folder); references go to DIR/reference/.
Full-size ViT-B/32: --width 768 --layers 12 --heads 12 --mlp 3072 --proj 512 --opsets 17.
"""

import argparse
import json
import math
import os

import numpy as np
import torch
from torch import nn


def quick_gelu(x):
    return x * torch.sigmoid(1.702 * x)


class CLIPAttention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.embed_dim = width
        self.num_heads = heads
        self.head_dim = width // heads
        self.scale = self.head_dim**-0.5
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.q_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def _shape(self, t, seq, bsz):
        return t.view(bsz, seq, self.num_heads, self.head_dim).transpose(1, 2).contiguous()

    def forward(self, hidden_states, causal_attention_mask=None):
        # As HF: q scaled after q_proj, attention via bmm over [B*H, T, hd].
        bsz, tgt_len, embed_dim = hidden_states.size()
        query_states = self.q_proj(hidden_states) * self.scale
        key_states = self._shape(self.k_proj(hidden_states), -1, bsz)
        value_states = self._shape(self.v_proj(hidden_states), -1, bsz)
        proj_shape = (bsz * self.num_heads, -1, self.head_dim)
        query_states = self._shape(query_states, tgt_len, bsz).view(*proj_shape)
        key_states = key_states.view(*proj_shape)
        value_states = value_states.view(*proj_shape)
        src_len = key_states.size(1)
        attn_weights = torch.bmm(query_states, key_states.transpose(1, 2))
        if causal_attention_mask is not None:
            attn_weights = attn_weights.view(bsz, self.num_heads, tgt_len, src_len)
            attn_weights = attn_weights + causal_attention_mask
            attn_weights = attn_weights.view(bsz * self.num_heads, tgt_len, src_len)
        attn_weights = nn.functional.softmax(attn_weights, dim=-1)
        attn_output = torch.bmm(attn_weights, value_states)
        attn_output = attn_output.view(bsz, self.num_heads, tgt_len, self.head_dim)
        attn_output = attn_output.transpose(1, 2)
        attn_output = attn_output.reshape(bsz, tgt_len, embed_dim)
        return self.out_proj(attn_output)


class CLIPMLP(nn.Module):
    def __init__(self, width, mlp):
        super().__init__()
        self.fc1 = nn.Linear(width, mlp)
        self.fc2 = nn.Linear(mlp, width)

    def forward(self, x):
        return self.fc2(quick_gelu(self.fc1(x)))


class CLIPEncoderLayer(nn.Module):
    def __init__(self, width, heads, mlp):
        super().__init__()
        self.self_attn = CLIPAttention(width, heads)
        self.layer_norm1 = nn.LayerNorm(width, eps=1e-5)
        self.mlp = CLIPMLP(width, mlp)
        self.layer_norm2 = nn.LayerNorm(width, eps=1e-5)

    def forward(self, hidden_states, causal_attention_mask=None):
        residual = hidden_states
        hidden_states = self.self_attn(self.layer_norm1(hidden_states), causal_attention_mask)
        hidden_states = residual + hidden_states
        residual = hidden_states
        hidden_states = self.mlp(self.layer_norm2(hidden_states))
        return residual + hidden_states


class CLIPEncoder(nn.Module):
    def __init__(self, width, layers, heads, mlp):
        super().__init__()
        self.layers = nn.ModuleList([CLIPEncoderLayer(width, heads, mlp) for _ in range(layers)])

    def forward(self, x, causal_attention_mask=None):
        states = [x]
        for layer in self.layers:
            x = layer(x, causal_attention_mask)
            states.append(x)
        return x, states


class CLIPVisionEmbeddings(nn.Module):
    def __init__(self, width, image_size, patch):
        super().__init__()
        self.class_embedding = nn.Parameter(torch.randn(width))
        self.patch_embedding = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        self.num_patches = (image_size // patch) ** 2
        self.num_positions = self.num_patches + 1
        self.position_embedding = nn.Embedding(self.num_positions, width)
        self.register_buffer(
            'position_ids', torch.arange(self.num_positions).expand((1, -1)), persistent=False
        )

    def forward(self, pixel_values):
        batch_size = pixel_values.shape[0]
        patch_embeds = self.patch_embedding(pixel_values.to(dtype=self.patch_embedding.weight.dtype))
        patch_embeds = patch_embeds.flatten(2).transpose(1, 2)
        class_embeds = self.class_embedding.expand(batch_size, 1, -1)
        embeddings = torch.cat([class_embeds, patch_embeds], dim=1)
        return embeddings + self.position_embedding(self.position_ids)


class CLIPVisionTransformer(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.embeddings = CLIPVisionEmbeddings(a.width, a.image_size, a.patch)
        self.pre_layrnorm = nn.LayerNorm(a.width, eps=1e-5)
        self.encoder = CLIPEncoder(a.width, a.layers, a.heads, a.mlp)
        self.post_layernorm = nn.LayerNorm(a.width, eps=1e-5)

    def forward(self, pixel_values):
        x = self.pre_layrnorm(self.embeddings(pixel_values))
        last, states = self.encoder(x)
        pooled = self.post_layernorm(last[:, 0, :])
        return last, pooled, states


class CLIPVisionModelWithProjection(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.vision_model = CLIPVisionTransformer(a)
        self.visual_projection = nn.Linear(a.width, a.proj, bias=False)

    def forward(self, pixel_values):
        _, pooled, _ = self.vision_model(pixel_values)
        return self.visual_projection(pooled)


class CLIPTextTransformer(nn.Module):
    def __init__(self, vocab, ctx, width, layers, heads, mlp):
        super().__init__()
        self.embeddings = nn.Module()
        self.embeddings.token_embedding = nn.Embedding(vocab, width)
        self.embeddings.position_embedding = nn.Embedding(ctx, width)
        self.encoder = CLIPEncoder(width, layers, heads, mlp)
        self.final_layer_norm = nn.LayerNorm(width, eps=1e-5)
        self.ctx = ctx

    def forward(self, input_ids):
        bsz, seq = input_ids.shape
        positions = torch.arange(seq).unsqueeze(0)
        x = self.embeddings.token_embedding(input_ids) + self.embeddings.position_embedding(positions)
        mask = torch.full((seq, seq), torch.finfo(x.dtype).min).triu(1)[None, None]
        last, _ = self.encoder(x, mask)
        last = self.final_layer_norm(last)
        # Legacy HF pooling: the end token has the largest id.
        return last[torch.arange(bsz), input_ids.to(torch.int).argmax(dim=-1)]


class CLIPTextModelWithProjection(nn.Module):
    def __init__(self, vocab, ctx, width, layers, heads, mlp, proj):
        super().__init__()
        self.text_model = CLIPTextTransformer(vocab, ctx, width, layers, heads, mlp)
        self.text_projection = nn.Linear(width, proj, bias=False)

    def forward(self, input_ids):
        return self.text_projection(self.text_model(input_ids))


def randomise(model, gen):
    """Scale-aware random weights: q/k large enough that attention is far from uniform."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            leaf = name.split('.')[-1]
            if 'norm' in name or 'layrnorm' in name:
                base = 1.0 if leaf == 'weight' else 0.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=gen))
            elif leaf == 'bias':
                p.copy_(0.05 * torch.randn(p.shape, generator=gen))
            elif p.dim() >= 2 and 'embedding' not in name:
                fan_in = p[0].numel()
                gain = 2.5 if ('q_proj' in name or 'k_proj' in name) else 1.0
                p.copy_(gain / math.sqrt(fan_in) * torch.randn(p.shape, generator=gen))
            else:  # class/position/token embeddings
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))


def dense_features(model, stream, grid, sigma=5.0):
    """Per-method dense patch features from the stream entering the last block (float64)."""
    vm = model.vision_model
    blk = vm.encoder.layers[-1]
    att = blk.self_attn
    B, T, W = stream.shape
    H, d = att.num_heads, att.head_dim
    h = blk.layer_norm1(stream)

    def heads(t):
        return t.view(B, T, H, d).transpose(1, 2)  # [B,H,T,d]

    q, k, v = heads(att.q_proj(h)), heads(att.k_proj(h)), heads(att.v_proj(h))

    def merge(t):
        return t.transpose(1, 2).reshape(B, T, W)

    def attend(a):
        return att.out_proj(merge(a @ v))

    sm = lambda x: torch.softmax(x / math.sqrt(d), dim=-1)  # noqa: E731
    rows = torch.arange(grid * grid, dtype=stream.dtype) // grid
    cols = torch.arange(grid * grid, dtype=stream.dtype) % grid
    dist2 = (rows[:, None] - rows[None, :]) ** 2 + (cols[:, None] - cols[None, :]) ** 2
    omega = torch.zeros(T, T, dtype=stream.dtype)
    omega[1:, 1:] = torch.exp(-dist2 / (2 * sigma * sigma))
    out = {
        'maskclip': att.out_proj(merge(v)),
        'clearclip': attend(sm(q @ q.transpose(-1, -2))),
        'naclip': attend(torch.softmax(k @ k.transpose(-1, -2) / math.sqrt(d) + omega, dim=-1)),
    }
    # Self-check of the head split: standard attention must reproduce the block's own output.
    z = stream + attend(sm(q @ k.transpose(-1, -2)))
    full = z + blk.mlp(blk.layer_norm2(z))
    assert torch.allclose(full, blk(stream), atol=1e-9 * (1 + full.abs().max().item()))
    z = stream + attend(sm(q @ q.transpose(-1, -2)) + sm(k @ k.transpose(-1, -2)))
    out['sclip'] = z + blk.mlp(blk.layer_norm2(z))
    feats = {}
    for name, y in out.items():
        f = model.visual_projection(vm.post_layernorm(y))[:, 1:, :]
        feats[name] = f / f.norm(dim=-1, keepdim=True)
    return feats


def _round_sat(x, lo, hi):
    return torch.clamp(torch.round(x), lo, hi)  # torch.round: half to even, as ORT


def quant_sim_embeds(vision, pixels, weight_type):
    """image_embeds with every Linear computed as ORT's quantize_dynamic graph does (float32):
    per-tensor uint8 activations (DynamicQuantizeLinear), per-tensor weights (uint8 asymmetric
    or int8 symmetric), integer matmul, times x_scale * w_scale, plus the float bias."""

    def linear(self, x):
        xmin, xmax = min(x.min().item(), 0.0), max(x.max().item(), 0.0)
        xs = torch.tensor((xmax - xmin) / 255, dtype=torch.float32)
        xzp = _round_sat(torch.tensor(-xmin) / xs, 0, 255) if xs > 0 else torch.tensor(0.0)
        xq = _round_sat(x / xs, -1e9, 1e9) + xzp if xs > 0 else torch.zeros_like(x)
        xq = torch.clamp(xq, 0, 255)
        w = self.weight.t()
        wmin, wmax = min(w.min().item(), 0.0), max(w.max().item(), 0.0)
        if weight_type == 'int8':
            ws = np.float32(max(-wmin, wmax) / 127)
            wzp, lo, hi = 0.0, -127, 127
        else:
            ws = np.float32((wmax - wmin) / 255)
            wzp, lo, hi = float(min(255, max(0, round(-wmin / float(ws))))), 0, 255
        ws = float(ws) if ws > 0 else 1.0
        wq = torch.clamp(torch.round(w / ws) + wzp, lo, hi)
        acc = (xq.double() - xzp.double()) @ (wq.double() - wzp)  # exact integers
        y = acc.float() * (xs * torch.tensor(ws, dtype=torch.float32))
        return y + self.bias if self.bias is not None else y

    originals = {}
    for m in vision.modules():
        if isinstance(m, nn.Linear):
            originals[m] = m.forward
            m.forward = linear.__get__(m)
    try:
        with torch.no_grad():
            return vision(pixels).numpy()
    finally:
        for m, f in originals.items():
            m.forward = f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--out', required=True)
    ap.add_argument('--image-size', dest='image_size', type=int, default=224)
    ap.add_argument('--patch', type=int, default=32)
    ap.add_argument('--width', type=int, default=64)
    ap.add_argument('--layers', type=int, default=2)
    ap.add_argument('--heads', type=int, default=4)
    ap.add_argument('--mlp', type=int, default=256)
    ap.add_argument('--proj', type=int, default=32)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--opsets', default='14,17')
    ap.add_argument('--vocab', type=int, default=49408, help='text vocab (>= tokenizer size)')
    ap.add_argument('--ctx', type=int, default=77)
    ap.add_argument('--text-width', dest='text_width', type=int, default=32)
    ap.add_argument('--reference', action='store_true')
    ap.add_argument('--batch', type=int, default=2, help='reference images (seeded N(0,1) pixels)')
    ap.add_argument('--sigma', type=float, default=5.0)
    ap.add_argument('--quant-sim', dest='quant_sim', default='',
                    help='uint8,int8: also write image_embeds_qsim_<type>.npy (float32)')
    a = ap.parse_args()
    assert a.image_size % a.patch == 0 and a.width % a.heads == 0

    gen = torch.Generator().manual_seed(a.seed)
    vision = CLIPVisionModelWithProjection(a).eval()
    randomise(vision, gen)
    tw = a.text_width
    text = CLIPTextModelWithProjection(a.vocab, a.ctx, tw, 1, max(1, tw // 16), 2 * tw, a.proj)
    text = text.eval()
    randomise(text, gen)

    grid = a.image_size // a.patch
    pixels = torch.randn(max(a.batch, 1), 3, a.image_size, a.image_size, generator=gen)
    ids = torch.zeros(1, a.ctx, dtype=torch.int64)
    ids[0, :3] = torch.tensor([0, 1, a.vocab - 1])
    config = {
        'model_type': 'clip',
        'projection_dim': a.proj,
        'vision_config': {
            'hidden_size': a.width,
            'intermediate_size': a.mlp,
            'num_attention_heads': a.heads,
            'num_hidden_layers': a.layers,
            'patch_size': a.patch,
            'image_size': a.image_size,
            'hidden_act': 'quick_gelu',
            'layer_norm_eps': 1e-5,
        },
        'text_config': {
            'hidden_size': tw,
            'vocab_size': a.vocab,
            'max_position_embeddings': a.ctx,
            'num_hidden_layers': 1,
        },
        'scene3d_test_model': {'seed': a.seed, 'random_weights': True},
    }
    written = {}
    for opset in [int(s) for s in a.opsets.split(',') if s]:
        folder = os.path.join(a.out, f'opset{opset}')
        os.makedirs(os.path.join(folder, 'onnx'), exist_ok=True)
        with torch.no_grad():
            torch.onnx.export(
                vision, pixels[:1], os.path.join(folder, 'onnx', 'vision_model.onnx'),
                input_names=['pixel_values'], output_names=['image_embeds'],
                dynamic_axes={'pixel_values': {0: 'batch_size'}, 'image_embeds': {0: 'batch_size'}},
                opset_version=opset, do_constant_folding=True)
            torch.onnx.export(
                text, ids, os.path.join(folder, 'onnx', 'text_model.onnx'),
                input_names=['input_ids'], output_names=['text_embeds'],
                dynamic_axes={'input_ids': {0: 'batch_size'}, 'text_embeds': {0: 'batch_size'}},
                opset_version=opset, do_constant_folding=True)
        with open(os.path.join(folder, 'config.json'), 'w') as f:
            json.dump(config, f, indent=2)
        written[str(opset)] = folder

    result = {'folders': written, 'grid': grid, 'tokens': grid * grid + 1}
    if a.reference:
        ref = os.path.join(a.out, 'reference')
        os.makedirs(ref, exist_ok=True)
        for wt in [t for t in a.quant_sim.split(',') if t]:
            np.save(os.path.join(ref, f'image_embeds_qsim_{wt}.npy'),
                    quant_sim_embeds(vision, pixels, wt))
        v64 = vision.double()
        with torch.no_grad():
            x = pixels.double()
            _, pooled, states = v64.vision_model(x)
            stream = states[-2]
            arrays = {
                'pixel_values': pixels.numpy().astype(np.float32),
                'image_embeds': v64.visual_projection(pooled).numpy(),
                'stream_last': stream.numpy(),
            }
            for name, f in dense_features(v64, stream, grid, a.sigma).items():
                arrays[f'dense_{name}'] = f.numpy()
        for name, arr in arrays.items():
            np.save(os.path.join(ref, f'{name}.npy'), np.ascontiguousarray(arr))
        names = list(arrays) + [f'image_embeds_qsim_{t}' for t in a.quant_sim.split(',') if t]
        result['reference'] = {n: os.path.join(ref, f'{n}.npy') for n in names}
    print(json.dumps(result))


if __name__ == '__main__':
    main()
