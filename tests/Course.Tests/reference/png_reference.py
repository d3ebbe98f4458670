#!/usr/bin/python3
"""Reference pixels for PngTests, ClipArtTests and OpenCvDigitsTests (Debian's python3, python3-pil, numpy).

  png_reference.py synthetic OUTDIR   writes tiny PNGs of every colour type / bit depth / filter / interlace (our own
                                      writer below, checked against PIL's decoder) and OUTDIR/expected.json
  png_reference.py real OUT.json      samples real files of each kind in openclipart-png and digits.png, decodes them
                                      with PIL and writes SHA-256 checksums of the pixels, one digit tile in full, and
                                      area-averaged 28/32-px versions of a few clip-art images (numpy, exact coverage)
"""
import hashlib, json, os, struct, sys, zlib
import numpy as np
from PIL import Image

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
RAW_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, body):
    return struct.pack('>I', len(body)) + kind + body + struct.pack('>I', zlib.crc32(kind + body) & 0xffffffff)


def pack_row(values, depth):
    """values: 1-D array of raw samples of one row -> bytes (big-endian for 16, MSB-first packing below 8)."""
    if depth == 16:
        return b''.join(struct.pack('>H', int(v)) for v in values)
    if depth == 8:
        return bytes(int(v) for v in values)
    per = 8 // depth
    out = bytearray((len(values) + per - 1) // per)
    for i, v in enumerate(values):
        out[i // per] |= int(v) << (8 - depth * (i % per + 1))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filter_row(kind, row, prior, bpp):
    out = bytearray(len(row))
    for i in range(len(row)):
        a = row[i - bpp] if i >= bpp else 0
        b = prior[i]
        c = prior[i - bpp] if i >= bpp else 0
        pred = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out[i] = (row[i] - pred) & 0xff
    return bytes([kind]) + bytes(out)


def encode_image(raw, depth, channels, first_filter):
    """raw: [H, W, channels] raw samples -> filtered scanlines; filter types cycle row by row from first_filter."""
    h, w = raw.shape[:2]
    bpp = max(1, channels * depth // 8)
    out, prior, f = b'', None, first_filter
    for y in range(h):
        row = pack_row(raw[y].reshape(-1), depth)
        prior = prior if prior is not None else bytes(len(row))
        out += filter_row(f % 5, row, prior, bpp)
        prior, f = row, f + 1
    return out


def write_png(path, raw, depth, ctype, interlace=False, palette=None, trns=None, first_filter=0, idat_parts=1):
    h, w = raw.shape[:2]
    ch = RAW_CHANNELS[ctype]
    if interlace:
        data = b''
        for p, (x0, y0, dx, dy) in enumerate(ADAM7):
            sub = raw[y0::dy, x0::dx]
            if sub.shape[0] and sub.shape[1]:
                data += encode_image(sub, depth, ch, first_filter + p)
    else:
        data = encode_image(raw, depth, ch, first_filter)
    z = zlib.compress(data, 9)
    png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, depth, ctype, 0, 0, int(interlace)))
    png += chunk(b'tEXt', b'Comment\x00written by png_reference.py')
    if palette is not None:
        png += chunk(b'PLTE', bytes(palette.reshape(-1).tolist()))
    if trns is not None:
        png += chunk(b'tRNS', trns)
    step = (len(z) + idat_parts - 1) // idat_parts
    for i in range(0, len(z), step):
        png += chunk(b'IDAT', z[i:i + step])
    png += chunk(b'IEND', b'')
    with open(path, 'wb') as f:
        f.write(png)


def synthetic(outdir):
    os.makedirs(outdir, exist_ok=True)
    rng = np.random.default_rng(20261203)
    cases = []
    sizes = [(13, 11), (1, 1), (3, 2), (9, 17)]
    for ctype, depths in [(0, [1, 2, 4, 8, 16]), (2, [8, 16]), (3, [1, 2, 4, 8]), (4, [8, 16]), (6, [8, 16])]:
        for depth in depths:
            for interlace in (False, True):
                for (w, h) in sizes:
                    for variant in (['plain', 'trns'] if ctype in (0, 2, 3) else ['plain']):
                        cases.append((ctype, depth, interlace, w, h, variant))
    expected = []
    for n, (ctype, depth, interlace, w, h, variant) in enumerate(cases):
        ch = RAW_CHANNELS[ctype]
        top = (1 << depth) - 1
        raw = rng.integers(0, top + 1, size=(h, w, ch), dtype=np.int64)
        palette, trns, out = None, None, None
        if ctype == 3:
            colours = min(1 << depth, 200)
            raw = rng.integers(0, colours, size=(h, w, 1))
            palette = rng.integers(0, 256, size=(colours, 3))
            rgb = palette[raw[..., 0]]
            if variant == 'trns':
                alphas = rng.integers(0, 256, size=max(1, colours - 1))  # shorter than the palette: the rest is opaque
                trns = bytes(alphas.tolist())
                full = np.concatenate([alphas, np.full(colours - len(alphas), 255)])
                out = np.concatenate([rgb, full[raw[..., 0]][..., None]], axis=2)
            else:
                out = rgb
        elif ctype == 0:
            scaled = raw * 255 // top if depth < 8 else raw
            if variant == 'trns':
                key = int(raw[0, 0, 0])  # the first pixel's value is the transparent one
                trns = struct.pack('>H', key)
                out = np.concatenate([scaled, np.where(raw == key, 0, 65535 if depth == 16 else 255)], axis=2)
            else:
                out = scaled
        elif ctype == 2 and variant == 'trns':
            key = raw[0, 0]
            trns = struct.pack('>HHH', *[int(k) for k in key])
            hit = np.all(raw == key, axis=2, keepdims=True)
            out = np.concatenate([raw, np.where(hit, 0, top)], axis=2)
        else:
            out = raw
        name = f'c{ctype}_d{depth}_{"adam7" if interlace else "plain"}_{w}x{h}_{variant}_{n}.png'
        path = os.path.join(outdir, name)
        write_png(path, raw, depth, ctype, interlace, palette, trns, first_filter=n % 5, idat_parts=1 + n % 3)
        check_with_pil(path, out, ctype, depth, variant)
        expected.append({'file': name, 'width': w, 'height': h, 'channels': int(out.shape[2]), 'bitDepth': depth,
                         'colorType': ctype, 'interlaced': interlace, 'samples': out.reshape(-1).astype(int).tolist()})
    with open(os.path.join(outdir, 'expected.json'), 'w') as f:
        json.dump(expected, f)
    print(f'{len(expected)} PNGs in {outdir}')


def check_with_pil(path, out, ctype, depth, variant):
    """Our writer is right only if PIL decodes its file to the pixels we meant (the 8-bit view PIL gives)."""
    im = Image.open(path)
    im.load()
    if ctype == 0 and depth == 16:
        got = np.array(im).astype(np.int64)[..., None]
        want = out[..., :1]
    elif ctype == 0 or ctype == 4:
        got = np.array(im.convert('LA' if ctype == 4 else 'L')).astype(np.int64)
        got = got.reshape(out.shape[0], out.shape[1], -1)
        want = out[..., :got.shape[2]] >> (8 if depth == 16 else 0)
    elif ctype == 3 and variant == 'trns':
        got, want = np.array(im.convert('RGBA')).astype(np.int64), out
    else:  # RGB(A) 8/16 bits and palette without alpha: PIL keeps the high byte of 16-bit samples
        got = np.array(im.convert('RGBA' if ctype == 6 else 'RGB')).astype(np.int64)
        want = out[..., :got.shape[2]] >> (8 if depth == 16 else 0)
    if got.shape != want.shape or not np.array_equal(got, want):
        raise SystemExit(f'PIL disagrees with the writer on {path}: {got.shape} vs {want.shape}')


def canonical(im):
    """PIL's pixels in the decoder's layout (colour types found in the package: 0, 2, 3, 4, 6 at 8 bits, palettes
    at 1/2/4/8 bits; none of them interlaced, 16-bit or keyed gray/RGB)."""
    if im.mode == 'P':
        im = im.convert('RGBA' if 'transparency' in im.info else 'RGB')
    elif im.mode == '1':
        im = im.convert('L')
    assert im.mode in ('L', 'LA', 'RGB', 'RGBA'), im.mode
    return np.ascontiguousarray(np.array(im), dtype=np.uint8)


def area_resize(rgb, size):
    """Exact area averaging: out = Wy @ img @ Wx^T, W[j, x] = overlap of source pixel [x, x+1) with output pixel j's
    source interval [j·n/m, (j+1)·n/m), divided by the interval's length; aspect kept, padded centred with white."""
    h, w = rgb.shape[:2]
    scale = size / max(w, h)
    ow, oh = max(1, round(w * scale)), max(1, round(h * scale))

    def weights(n, m):
        W = np.zeros((m, n))
        for j in range(m):
            a, b = j * n / m, (j + 1) * n / m
            for x in range(int(np.floor(a)), min(n, int(np.ceil(b)))):
                W[j, x] = max(0.0, min(b, x + 1) - max(a, x))
            W[j] /= (b - a)
        return W
    small = np.einsum('ij,jkc,lk->ilc', weights(h, oh), rgb, weights(w, ow))
    out = np.ones((size, size, rgb.shape[2]))
    top, left = (size - oh) // 2, (size - ow) // 2
    out[top:top + oh, left:left + ow] = small
    return out


def composite(im):
    """RGBA in [0, 1] composited on white -> RGB floats."""
    rgba = np.array(im.convert('RGBA'), dtype=np.float64) / 255.0
    return rgba[..., :3] * rgba[..., 3:] + (1.0 - rgba[..., 3:])


def real(out_json):
    root = '/usr/share/openclipart/png'
    by_kind = {}
    for dp, dn, fn in sorted(os.walk(root)):
        dn.sort()
        for f in sorted(fn):
            p = os.path.join(dp, f)
            if os.path.islink(p) or not f.endswith('.png'):
                continue
            b = open(p, 'rb').read(33)
            w, h, depth, ctype, _, _, il = struct.unpack('>IIBBBBB', b[16:29])
            if w * h > 2_000_000:
                continue
            by_kind.setdefault(f'c{ctype}_d{depth}_i{il}', []).append(p)
    files = []
    rng = np.random.default_rng(7)
    for kind in sorted(by_kind):
        paths = by_kind[kind]
        for i in sorted(rng.choice(len(paths), size=min(3, len(paths)), replace=False)):
            p = paths[i]
            im = Image.open(p)
            palette_alpha = im.mode == 'P' and 'transparency' in im.info
            px = canonical(im)
            files.append({'file': os.path.relpath(p, root), 'kind': kind, 'shape': list(px.shape) if px.ndim == 3 else list(px.shape) + [1],
                          'sha256': hashlib.sha256(px.tobytes()).hexdigest(), 'paletteAlpha': palette_alpha})
    # area-averaged versions (gray and RGB, 28 and 32 px) of a few files, for the resizer
    resized = []
    for f in files[::4][:6]:
        im = Image.open(os.path.join(root, f['file']))
        rgb = composite(im)
        for size in (28, 32):
            r = area_resize(rgb, size)
            g = area_resize(rgb @ np.array([0.299, 0.587, 0.114])[:, None], size)  # ITU-R 601 luma, as PIL's 'L'
            resized.append({'file': f['file'], 'size': size, 'rgb': np.round(r.transpose(2, 0, 1).reshape(-1), 7).tolist(),
                            'gray': np.round(g.reshape(-1), 7).tolist()})
    digits_path = '/usr/share/doc/opencv-doc/examples/data/digits.png'
    im = Image.open(digits_path)
    d = canonical(im)
    tile = d[7 * 20:8 * 20, 13 * 20:14 * 20]  # row 7 (digit 1), column 13
    digits = {'mode': im.mode, 'shape': list(d.shape), 'sha256': hashlib.sha256(d.tobytes()).hexdigest(),
              'tileRow': 7, 'tileColumn': 13, 'tile': tile.reshape(-1).astype(int).tolist(),
              'tileMeansPerDigit': [float(d[r * 100:(r + 1) * 100].mean()) for r in range(10)]}
    with open(out_json, 'w') as f:
        json.dump({'files': files, 'resized': resized, 'digits': digits}, f)
    print(f'{len(files)} files, {len(resized)} resized, kinds: {sorted(by_kind)}')


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] not in ('synthetic', 'real'):
        raise SystemExit(__doc__)
    synthetic(sys.argv[2]) if sys.argv[1] == 'synthetic' else real(sys.argv[2])
