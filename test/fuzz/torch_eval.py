"""PyTorch's answer to each fuzz case (values.ts describes the JSON): one case per input line,
one outcome per output line, so one Python process serves a whole test file.

Each op below is what the pinn-torch call means in PyTorch 1.13. Where pinn-torch differs on
purpose (JS numbers have no integer type, so new tensors default to float32; integer dtypes refuse
fractional values; options objects refuse unknown keys as Python refuses unknown keywords), the
op says so and raises `Intended` or builds the float32 tensor: those are pinn-torch's rules, not
PyTorch's, and the suite holds pinn-torch to them.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_num_threads(1)

DTYPES = {
    'float32': torch.float32, 'float64': torch.float64, 'int32': torch.int32, 'int64': torch.int64,
    'uint8': torch.uint8, 'bool': torch.bool, 'complex64': torch.complex64, 'complex128': torch.complex128,
}
NAMES = {v: k for k, v in DTYPES.items()}
INTEGRAL = {torch.int32, torch.int64, torch.uint8, torch.bool}
RANGES = {torch.int32: (-2**31, 2**31 - 1), torch.int64: (-2**63, 2**63 - 1), torch.uint8: (0, 255)}


class Intended(Exception):
    """pinn-torch refuses this call by its own documented rule (PyTorch would accept it)."""


class Opaque:
    """A JS value with no Python counterpart (a function, a BigInt): any op given it must fail."""


MISSING = object()


# ---- decoding arguments ------------------------------------------------------------------
def decode_num(x):
    """A JS number as pinn-torch passes it on: an integer-valued one (-0 too) is an integer scalar."""
    if isinstance(x, str):
        return {'NaN': math.nan, 'Infinity': math.inf, '-Infinity': -math.inf, '-0': 0}[x]
    if isinstance(x, float) and x.is_integer() and -2**63 <= x < 2**63:
        return int(x)
    return x


def decode(v):
    k = v['k']
    if k == 'num':
        x = decode_num(v['v'])
        return x
    if k == 'str':
        return v['v']
    if k == 'bool':
        return v['v']
    if k == 'null':
        return None
    if k == 'undef':
        return MISSING
    if k in ('bigint', 'fn'):
        return Opaque()
    if k == 'list':
        return [decode(x) for x in v['v']]
    if k == 'obj':
        return {key: decode(x) for key, x in v['v'].items()}
    if k == 'tensor':
        return make_tensor(v)
    raise ValueError(f'unknown value kind {k}')


class Disposed:
    """A tensor that pinn-torch has freed: using it must fail."""


def make_tensor(v):
    if v.get('disposed'):
        return Disposed()
    dtype = DTYPES[v['dtype']]
    data = [-0.0 if x == '-0' else decode_num(x) for x in v['data']]
    if dtype.is_complex:
        real = torch.tensor([float(x) for x in data], dtype=torch.float64).reshape(-1, 2)
        t = torch.view_as_complex(real.contiguous()).to(dtype).reshape(v['base'])
    else:
        t = torch.tensor([float(x) if dtype.is_floating_point else x for x in data], dtype=dtype).reshape(v['base'])
    if v.get('requiresGrad'):
        t.requires_grad_(True)
    view = v.get('view')
    if view:
        if view['op'] == 'transpose':
            t = t.transpose(-1, -2)
        elif view['op'] == 'step':
            t = t[..., ::2]
        else:
            t = t.expand(view['shape'])
    return t


# ---- encoding results ---------------------------------------------------------------------
def encode_num(x):
    if isinstance(x, bool):
        return x
    if isinstance(x, float):
        if math.isnan(x):
            return 'NaN'
        if math.isinf(x):
            return 'Infinity' if x > 0 else '-Infinity'
        if x == 0 and math.copysign(1, x) < 0:
            return '-0'
    return x


def encode(x):
    if isinstance(x, torch.Tensor):
        t = x.detach().resolve_conj()
        flat = torch.view_as_real(t).reshape(-1) if t.is_complex() else t.reshape(-1)
        if t.dtype == torch.bool:
            data = [int(b) for b in flat.tolist()]
        else:
            data = [encode_num(float(a)) if t.is_floating_point() or t.is_complex() else a for a in flat.tolist()]
        return {'k': 'tensor', 'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'data': data}
    if isinstance(x, bool):
        return {'k': 'bool', 'v': x}
    if isinstance(x, (int, float)):
        return {'k': 'num', 'v': encode_num(float(x)) if isinstance(x, float) else x}
    if isinstance(x, complex):
        return {'k': 'list', 'v': [encode(x.real), encode(x.imag)]}
    if isinstance(x, str):
        return {'k': 'str', 'v': x}
    if x is None:
        return {'k': 'null'}
    if isinstance(x, (list, tuple)):
        return {'k': 'list', 'v': [encode(a) for a in x]}
    if isinstance(x, dict):
        return {'k': 'obj', 'v': {k: encode(a) for k, a in x.items()}}
    if isinstance(x, torch.Size):
        return encode(list(x))
    raise TypeError(f'cannot encode {type(x).__name__}')


# ---- argument rules that pinn-torch states in its own terms --------------------------------
def given(x):
    return x is not MISSING


def need_tensor(x):
    if not isinstance(x, torch.Tensor):
        raise TypeError(f'expected a tensor, got {type(x).__name__}')
    return x


def need_number(x):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise TypeError(f'expected a number, got {type(x).__name__}')
    return x


def need_bool(x, default):
    if x is MISSING:
        return default
    if not isinstance(x, bool):
        raise TypeError('expected a boolean')
    return x


def options(o, known):
    """An options object: unknown keys are refused, like unknown keyword arguments."""
    if o is MISSING:
        return {}
    if not isinstance(o, dict):
        raise TypeError('options must be an object')
    for k in o:
        if k not in known:
            raise TypeError(f'unknown option {k}')
    return {k: v for k, v in o.items() if v is not MISSING}


def dtype_of(o, default):
    d = o.get('dtype', MISSING)
    if d is MISSING:
        return default
    if not isinstance(d, str) or d not in DTYPES:
        raise TypeError('bad dtype')
    return DTYPES[d]


def device_of(o):
    d = o.get('device', MISSING)
    if d is MISSING or d == 'cpu':
        return 'cpu'
    raise RuntimeError('only the cpu device exists here')


def creation(o, default=torch.float32, extra=()):
    o = options(o, ('dtype', 'device', 'requiresGrad') + tuple(extra))
    device_of(o)
    return o, dtype_of(o, default)


def finish(t, o):
    if need_bool(o.get('requiresGrad', MISSING), False):
        t.requires_grad_(True)
    return t


def integral_value(v, dtype, what='value'):
    """A JS number for an integer dtype must be an integer in its range (pinn-torch refuses, not wraps)."""
    if dtype in INTEGRAL and dtype != torch.bool:
        if isinstance(v, float) and not (math.isfinite(v) and v.is_integer()):
            raise Intended(f'{what} is not an integer')
        lo, hi = RANGES[dtype]
        if not lo <= v <= hi:
            raise Intended(f'{what} out of range')


def shape_arg(s):
    if isinstance(s, bool):
        raise TypeError('bool shape')
    if isinstance(s, (int, float)):
        s = [s]
    if not isinstance(s, list) or not all(isinstance(d, int) and not isinstance(d, bool) for d in s):
        raise TypeError('shape must be a list of integers')
    if any(d < 0 for d in s):
        raise RuntimeError('negative size')
    return s


def dim_arg(d):
    if isinstance(d, bool) or not isinstance(d, int):
        raise TypeError('dim must be an integer')
    return d


def dims_arg(d):
    if isinstance(d, list):
        return [dim_arg(x) for x in d]
    return dim_arg(d)


# ---- the ops --------------------------------------------------------------------------------
OPS = {}


def op(name):
    def register(fn):
        OPS[name] = fn
        return fn
    return register


UNARY = {
    'neg': torch.neg, 'abs': torch.abs, 'exp': torch.exp, 'log': torch.log, 'log1p': torch.log1p,
    'expm1': torch.expm1, 'sqrt': torch.sqrt, 'rsqrt': torch.rsqrt, 'square': lambda t: torch.mul(t, t),
    'reciprocal': torch.reciprocal, 'sin': torch.sin, 'cos': torch.cos, 'tan': torch.tan, 'asin': torch.asin,
    'acos': torch.acos, 'atan': torch.atan, 'sinh': torch.sinh, 'cosh': torch.cosh, 'tanh': torch.tanh,
    'sigmoid': torch.sigmoid, 'relu': torch.relu, 'gelu': F.gelu, 'silu': F.silu, 'erf': torch.erf,
    'sign': torch.sign, 'floor': torch.floor, 'ceil': torch.ceil, 'round': torch.round, 'isnan': torch.isnan,
    'isinf': torch.isinf, 'isfinite': torch.isfinite, 'logicalNot': torch.logical_not, 'real': torch.real,
    'imag': torch.imag, 'conj': torch.conj_physical, 'angle': torch.angle, 'clone': torch.clone,
    'contiguous': lambda t: t.contiguous(), 'detach': lambda t: t.detach(), 'flatten': torch.flatten,
    't': torch.t, 'any': torch.any, 'all': torch.all, 'float': lambda t: t.float(), 'double': lambda t: t.double(),
}
for _name, _fn in UNARY.items():
    op(_name)(lambda t, _fn=_fn: _fn(need_tensor(t)))

BINARY = {
    'add': torch.add, 'sub': torch.sub, 'mul': torch.mul, 'div': torch.div, 'pow': torch.pow,
    'maximum': torch.maximum, 'minimum': torch.minimum, 'fmod': torch.fmod, 'remainder': torch.remainder,
    'atan2': torch.atan2, 'eq': torch.eq, 'ne': torch.ne, 'lt': torch.lt, 'le': torch.le, 'gt': torch.gt,
    'ge': torch.ge, 'logicalAnd': torch.logical_and, 'logicalOr': torch.logical_or,
}
# pinn-torch takes a number wherever PyTorch takes a Python scalar; maximum/minimum take one too
# (documented: a number bound, like clamp), atan2 and the logical ops take tensors only.
SCALAR_OK = {'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'fmod', 'remainder', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'}
for _name, _fn in BINARY.items():
    def _binary(t, other, _fn=_fn, _name=_name):
        t = need_tensor(t)
        if isinstance(other, torch.Tensor):
            return _fn(t, other)
        if _name not in SCALAR_OK:
            raise TypeError('other must be a tensor')
        need_number(other)
        if _name in ('maximum', 'minimum'):  # a bound in the result's dtype (saturating, as t + 1e300 does)
            return _fn(t, torch.tensor(other, dtype=torch.result_type(t, other)))
        return _fn(t, other)
    op(_name)(_binary)


@op('rsub')
def _rsub(t, other):
    return torch.sub(need_number(other), need_tensor(t))


@op('rdiv')
def _rdiv(t, other):
    return torch.div(need_number(other), need_tensor(t))


@op('rpow')
def _rpow(t, base):
    return torch.pow(need_number(base), need_tensor(t))


@op('softplus')
def _softplus(t, beta=MISSING):
    return F.softplus(need_tensor(t), beta=need_number(beta) if given(beta) else 1)


@op('leakyRelu')
def _leaky(t, slope=MISSING):
    return F.leaky_relu(need_tensor(t), need_number(slope) if given(slope) else 0.01)


@op('elu')
def _elu(t, alpha=MISSING):
    return F.elu(need_tensor(t), need_number(alpha) if given(alpha) else 1.0)


@op('clamp')
def _clamp(t, lo=MISSING, hi=MISSING):
    lo = None if lo is MISSING else lo
    hi = None if hi is MISSING else hi
    for b in (lo, hi):
        if b is not None:
            need_number(b)
    if lo is None and hi is None:
        raise Intended('clamp needs a bound')
    return torch.clamp(need_tensor(t), lo, hi)


# -- reductions
def all_dims(t, dim):
    return list(range(t.dim())) if dim is MISSING else dims_arg(dim)


def reduction(fn):
    def run(t, dim=MISSING, keepdim=MISSING):
        t = need_tensor(t)
        keep = need_bool(keepdim, False)
        if dim is MISSING and not keep:
            return fn(t)
        return fn(t, all_dims(t, dim), keep)
    return run


op('sum')(reduction(lambda t, *a: torch.sum(t, *a)))
op('mean')(reduction(lambda t, *a: torch.mean(t, *a)))
op('max')(reduction(lambda t, *a: torch.amax(t, *a) if a else torch.max(t)))
op('min')(reduction(lambda t, *a: torch.amin(t, *a) if a else torch.min(t)))


def one_dim(name):
    fn = getattr(torch, name)

    def run(t, dim=MISSING, keepdim=MISSING):
        t = need_tensor(t)
        keep = need_bool(keepdim, False)
        if dim is MISSING:
            if t.numel() == 0:
                raise RuntimeError('empty')
            r = fn(t.reshape(-1), 0)
            return r.reshape([1] * t.dim()) if keep else r
        return fn(t, dim_arg(dim), keep)
    return run


op('prod')(one_dim('prod'))
op('argmax')(one_dim('argmax'))
op('argmin')(one_dim('argmin'))


@op('logsumexp')
def _logsumexp(t, dim=MISSING, keepdim=MISSING):
    if dim is MISSING or dim == []:
        raise TypeError('dim required')
    return torch.logsumexp(need_tensor(t), dims_arg(dim), need_bool(keepdim, False))


@op('norm')
def _norm(t, p=MISSING, dim=MISSING, keepdim=MISSING):
    t = need_tensor(t)
    p = need_number(p) if given(p) else 2
    keep = need_bool(keepdim, False)
    if dim is MISSING and not keep:
        return torch.linalg.vector_norm(t, p)
    return torch.linalg.vector_norm(t, p, all_dims(t, dim), keep)


def spread(fn):
    def run(t, dim=MISSING, o=MISSING):
        t = need_tensor(t)
        o = options(o, ('unbiased', 'keepdim'))
        return fn(t, all_dims(t, dim), need_bool(o.get('unbiased', MISSING), True), need_bool(o.get('keepdim', MISSING), False))
    return run


op('std')(spread(torch.std))
op('var')(spread(torch.var))


def along(fn):
    def run(t, dim=MISSING):
        if dim is MISSING or isinstance(dim, list):
            raise TypeError('one dim required')
        return fn(need_tensor(t), dim_arg(dim))
    return run


op('softmax')(along(torch.softmax))
op('logSoftmax')(along(torch.log_softmax))
op('cumsum')(along(torch.cumsum))


@op('flip')
def _flip(t, dims=MISSING):
    t = need_tensor(t)
    return torch.flip(t, all_dims(t, dims) if not isinstance(dims, int) else [dim_arg(dims)])


# -- shape
def sizes(args):
    if len(args) == 1 and isinstance(args[0], list):
        return args[0]
    return list(args)


def int_list(xs, what):
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in xs):
        raise TypeError(f'{what} must be integers')
    return xs


@op('reshape')
def _reshape(t, *shape):
    return need_tensor(t).reshape(int_list(sizes(shape), 'shape'))


@op('view')
def _view(t, *shape):
    return need_tensor(t).view(int_list(sizes(shape), 'shape'))


@op('transpose')
def _transpose(t, d0=MISSING, d1=MISSING):
    return need_tensor(t).transpose(dim_arg(d0), dim_arg(d1))


@op('permute')
def _permute(t, *dims):
    return need_tensor(t).permute(int_list(sizes(dims), 'dims'))


@op('squeeze')
def _squeeze(t, dim=MISSING):
    t = need_tensor(t)
    return t.squeeze() if dim is MISSING else t.squeeze(dim_arg(dim))


@op('unsqueeze')
def _unsqueeze(t, dim=MISSING):
    return need_tensor(t).unsqueeze(dim_arg(dim))


@op('expand')
def _expand(t, *shape):
    return need_tensor(t).expand(int_list(sizes(shape), 'sizes'))


@op('repeat')
def _repeat(t, *reps):
    s = int_list(sizes(reps), 'sizes')
    if any(r < 0 for r in s):
        raise RuntimeError('negative')
    return need_tensor(t).repeat(s)


@op('narrow')
def _narrow(t, dim=MISSING, start=MISSING, length=MISSING):
    return need_tensor(t).narrow(dim_arg(dim), dim_arg(start), dim_arg(length))


@op('slice')
def _slice(t, dim=MISSING, start=MISSING, end=MISSING, step=MISSING):
    t = need_tensor(t)
    d = dim_arg(dim)
    if t.dim() == 0:
        raise IndexError('0-d')
    start = 0 if start is MISSING else dim_arg(whole(start))
    end = None if end is MISSING else dim_arg(whole(end))
    step = 1 if step is MISSING else dim_arg(step)
    if step < 1:
        raise ValueError('step must be positive')
    index = [slice(None)] * t.dim()
    index[d] = slice(start, end, step)
    return t[tuple(index)]


def whole(x):
    """A JS number that is an integer (1e300 too: Python slices take any int)."""
    return int(x) if isinstance(x, float) and x.is_integer() else x


@op('select')
def _select(t, dim=MISSING, index=MISSING):
    return need_tensor(t).select(dim_arg(dim), dim_arg(index))


@op('indexSelect')
def _index_select(t, dim=MISSING, index=MISSING):
    return torch.index_select(need_tensor(t), dim_arg(dim), need_tensor(index))


@op('gather')
def _gather(t, dim=MISSING, index=MISSING):
    return torch.gather(need_tensor(t), dim_arg(dim), need_tensor(index))


@op('split')
def _split(t, size=MISSING, dim=MISSING):
    t = need_tensor(t)
    d = 0 if dim is MISSING else dim_arg(dim)
    if isinstance(size, list):
        return list(torch.split(t, int_list(size, 'sizes'), d))
    s = dim_arg(size)
    if s < 1:
        raise RuntimeError('split size must be positive')
    return list(torch.split(t, s, d))


@op('chunk')
def _chunk(t, chunks=MISSING, dim=MISSING):
    return list(torch.chunk(need_tensor(t), dim_arg(chunks), 0 if dim is MISSING else dim_arg(dim)))


@op('size')
def _size(t, dim=MISSING):
    t = need_tensor(t)
    return list(t.shape) if dim is MISSING else t.shape[dim_arg(dim)]


@op('matmul')
def _matmul(a, b):
    return torch.matmul(need_tensor(a), need_tensor(b))


@op('linear')
def _linear(x, w, b=MISSING):
    return F.linear(need_tensor(x), need_tensor(w), None if b is MISSING or b is None else need_tensor(b))


def tensors(xs):
    if not isinstance(xs, list) or not xs:
        raise TypeError('a non-empty list of tensors')
    return [need_tensor(x) for x in xs]


@op('cat')
def _cat(ts, dim=MISSING):
    ts = tensors(ts)
    return torch.cat(ts, 0 if dim is MISSING else dim_arg(dim))


@op('stack')
def _stack(ts, dim=MISSING):
    ts = tensors(ts)
    return torch.stack(ts, 0 if dim is MISSING else dim_arg(dim))


@op('where')
def _where(c, a, b):
    return torch.where(need_tensor(c), need_tensor(a), need_tensor(b))


@op('complex')
def _complex(re, im):
    return torch.complex(need_tensor(re), need_tensor(im))


@op('polar')
def _polar(a, angle):
    return torch.polar(need_tensor(a), need_tensor(angle))


# -- in place (the result is the tensor itself)
def inplace(fn):
    def run(t, *args):
        t = need_tensor(t)
        fn(t, *args)
        return t
    return run


def _add_(t, o, alpha=MISSING):
    alpha = need_number(alpha) if given(alpha) else 1
    if isinstance(o, torch.Tensor):
        return t.add_(o, alpha=alpha)
    # pinn-torch scales a number by alpha in double precision (PyTorch rounds alpha to the tensor's dtype first).
    product = float(need_number(o)) * float(alpha)
    return t.add_(int(product) if product.is_integer() and -2**63 <= product < 2**63 else product)


op('add_')(inplace(_add_))
op('sub_')(inplace(lambda t, o, alpha=MISSING: t.sub_(need_tensor(o), alpha=need_number(alpha) if given(alpha) else 1)))
op('mul_')(inplace(lambda t, o: t.mul_(o if isinstance(o, torch.Tensor) else need_number(o))))
op('div_')(inplace(lambda t, o: t.div_(o if isinstance(o, torch.Tensor) else need_number(o))))
op('addcmul_')(inplace(lambda t, a, b, value=MISSING: t.addcmul_(need_tensor(a), need_tensor(b), value=need_number(value) if given(value) else 1)))
op('addcdiv_')(inplace(lambda t, a, b, value=MISSING: t.addcdiv_(need_tensor(a), need_tensor(b), value=need_number(value) if given(value) else 1)))
op('lerp_')(inplace(lambda t, end, w=MISSING: t.lerp_(need_tensor(end), need_number(w))))
op('copy_')(inplace(lambda t, src: t.copy_(need_tensor(src))))
op('zero_')(inplace(lambda t: t.zero_()))
op('fill_')(inplace(lambda t, v=MISSING: t.fill_(need_number(v))))
op('sqrt_')(inplace(lambda t: t.sqrt_()))
op('neg_')(inplace(lambda t: t.neg_()))
op('maximum_')(inplace(lambda t, o: torch.maximum(t, need_tensor(o), out=t)))
op('clampMin_')(inplace(lambda t, v=MISSING: t.clamp_min_(need_number(v))))
op('clampMax_')(inplace(lambda t, v=MISSING: t.clamp_max_(need_number(v))))


@op('addmm_')
def _addmm(t, m1, m2, o=MISSING):
    t, m1, m2 = need_tensor(t), need_tensor(m1), need_tensor(m2)
    o = options(o, ('beta', 'alpha'))
    beta = need_number(o.get('beta', 1))
    alpha = need_number(o.get('alpha', 1))
    if t.dim() != 2 or m1.dim() != 2 or m2.dim() != 2:
        raise Intended('addmm_ takes 2-D tensors only')
    t.addmm_(m1, m2, beta=beta, alpha=alpha)
    return t


# -- conversion
@op('to')
def _to(t, target=MISSING):
    t = need_tensor(t)
    if isinstance(target, str):
        if target in DTYPES:
            return t.to(DTYPES[target])
        if target == 'cpu':
            return t.to('cpu')
        raise TypeError('bad target')
    o = options(target, ('dtype', 'device', 'copy'))
    device_of(o)
    return t.to(dtype_of(o, t.dtype), copy=need_bool(o.get('copy', MISSING), False))


@op('item')
def _item(t):
    return need_tensor(t).item()


@op('toArray')
def _to_array(t):
    return need_tensor(t).tolist()


# -- creation
def leaves(x):
    if isinstance(x, list):
        for y in x:
            yield from leaves(y)
    else:
        yield x


def as_bool(x):
    return [as_bool(y) for y in x] if isinstance(x, list) else bool(x)


def first_leaf(x):
    while isinstance(x, list) and x:
        x = x[0]
    return x


@op('tensor')
def _tensor(data, o=MISSING):
    o, dtype = creation(o, None, ('shape',))
    if dtype is None:
        dtype = torch.bool if isinstance(first_leaf(data), bool) else torch.float32
    for v in leaves(data):
        if not isinstance(v, (int, float)):
            raise TypeError('elements must be numbers or booleans')
        integral_value(v, dtype, 'element')
    t = torch.tensor(as_bool(data) if dtype == torch.bool else data, dtype=dtype)
    if 'shape' in o:
        t = t.reshape(int_list(o['shape'], 'shape')) if t.numel() == math.prod(o['shape']) else _bad_shape()
    return finish(t, o)


def _bad_shape():
    raise ValueError('shape does not fit')


def factory(fn):
    def run(shape=MISSING, o=MISSING):
        o, dtype = creation(o)
        device_of(o)
        return finish(fn(shape_arg(shape), dtype=dtype), o)
    return run


op('zeros')(factory(torch.zeros))
op('ones')(factory(torch.ones))


@op('empty')
def _empty(shape=MISSING, o=MISSING):
    o, dtype = creation(o)
    t = finish(torch.empty(shape_arg(shape), dtype=dtype), o)
    return {'shape': list(t.shape), 'dtype': NAMES[t.dtype]}


@op('full')
def _full(shape=MISSING, value=MISSING, o=MISSING):
    o, dtype = creation(o)
    need_number(value)
    integral_value(value, dtype)
    return finish(torch.full(shape_arg(shape), value, dtype=dtype), o)


@op('scalar')
def _scalar(value=MISSING, o=MISSING):
    o, dtype = creation(o)
    need_number(value)
    integral_value(value, dtype)
    return finish(torch.tensor(value, dtype=dtype), o)


@op('eye')
def _eye(n=MISSING, m=MISSING, o=MISSING):
    o, dtype = creation(o)
    n = dim_arg(n)
    m = n if m is MISSING or m is None else dim_arg(m)
    return finish(torch.eye(n, m, dtype=dtype), o)


@op('arange')
def _arange(start=MISSING, end=MISSING, step=MISSING, o=MISSING):
    o, dtype = creation(o)
    if end is MISSING:
        start, end = 0, start
    step = 1 if step is MISSING else step
    for v in (start, end, step):
        need_number(v)
        if not math.isfinite(v):
            raise ValueError('finite numbers only')
    return finish(torch.arange(start, end, step, dtype=dtype), o)


@op('linspace')
def _linspace(start=MISSING, end=MISSING, steps=MISSING, o=MISSING):
    o, dtype = creation(o)
    for v in (start, end):
        need_number(v)
        if not math.isfinite(v):
            raise ValueError('finite numbers only')
    return finish(torch.linspace(start, end, dim_arg(steps), dtype=dtype), o)


def seeded(fn):
    def run(seed, *args):
        torch.manual_seed(seed)
        return fn(*args)
    return run


def _rand_like(fn):
    def run(shape=MISSING, o=MISSING):
        o, dtype = creation(o)
        return finish(fn(shape_arg(shape), dtype=dtype), o)
    return run


op('rand')(seeded(_rand_like(torch.rand)))
op('randn')(seeded(_rand_like(torch.randn)))


def _randint(low=MISSING, high=MISSING, shape=MISSING, o=MISSING):
    o, dtype = creation(o, torch.int64)
    return finish(torch.randint(dim_arg(low), dim_arg(high), shape_arg(shape), dtype=dtype), o)


def _randperm(n=MISSING, o=MISSING):
    o, dtype = creation(o, torch.int64)
    return finish(torch.randperm(dim_arg(n), dtype=dtype), o)


op('randint')(seeded(_randint))
op('randperm')(seeded(_randperm))


def like(fn):
    """zerosLike(t, o) … fullLike(t, value, o): t's shape, dtype and device unless o says otherwise."""
    def run(t, *args):
        t = need_tensor(t)
        rest, o = (args[:-1], args[-1]) if len(args) == (2 if fn == 'full' else 1) else (args, MISSING)
        o = options(o, ('dtype', 'device', 'requiresGrad'))
        return OPS[fn](list(t.shape), *rest, {'dtype': NAMES[t.dtype], **o})
    return run


op('zerosLike')(like('zeros'))
op('onesLike')(like('ones'))
op('fullLike')(like('full'))


# -- losses
def reduce_loss(t, reduction):
    if reduction is MISSING or reduction == 'mean':
        return t.mean()
    if reduction == 'sum':
        return t.sum()
    if reduction == 'none':
        return t
    raise ValueError('reduction')


def loss_diff(x, y):
    x = need_tensor(x)
    if not (x.is_floating_point() or x.is_complex()):
        raise Intended('losses take floating point or complex inputs')
    if y is MISSING:
        return x
    if isinstance(y, torch.Tensor):
        if x.shape != y.shape:
            raise Intended('input and target must have the same shape')
        return x - y
    return x - need_number(y) if y != 0 else x


@op('mse')
def _mse(x, y=MISSING, reduction=MISSING):
    d = loss_diff(x, y)
    if d.is_complex():
        raise Intended('mse of complex')
    return reduce_loss(d * d, reduction)


@op('l1')
def _l1(x, y=MISSING, reduction=MISSING):
    return reduce_loss(loss_diff(x, y).abs(), reduction)


@op('msae')
def _msae(x, y=MISSING, reduction=MISSING):
    d = loss_diff(x, y)
    return reduce_loss(d.abs() ** 2 if d.is_complex() else d * d, reduction)


@op('huber')
def _huber(x, y=MISSING, o=MISSING):
    o = options(o, ('delta', 'reduction'))
    delta = need_number(o.get('delta', 1))
    if not delta > 0:
        raise ValueError('delta')
    a = loss_diff(x, y).abs()
    reduction = o.get('reduction', MISSING)
    if reduction not in (MISSING, 'mean', 'sum', 'none'):
        raise ValueError('reduction')
    return F.huber_loss(a, torch.zeros_like(a), reduction='mean' if reduction is MISSING else reduction, delta=delta)


# -- autograd
@op('gradOf')
def _grad_of(fn, x, create_graph=MISSING):
    """d/dx sum(fn(x)), and its second derivative when createGraph."""
    x = need_tensor(x)
    if not x.requires_grad:
        raise RuntimeError('x does not require grad')
    y = OPS[fn](x).sum()
    if not y.requires_grad:
        raise RuntimeError('output does not require grad')
    create = need_bool(create_graph, False)
    (g,) = torch.autograd.grad(y, x, create_graph=create, allow_unused=False)
    if not create:
        return g
    if not g.requires_grad:
        raise RuntimeError('first derivative does not require grad')
    (g2,) = torch.autograd.grad(g.sum(), x, allow_unused=False)
    return [g, g2]


@op('backwardOf')
def _backward_of(fn, x, gradient=MISSING):
    x = need_tensor(x)
    if not x.is_leaf or not x.requires_grad:
        raise RuntimeError('x must be a leaf requiring grad')
    y = OPS[fn](x)
    y.backward(None if gradient is MISSING or gradient is None else need_tensor(gradient))
    return x.grad


# -- nn and optim
OPTION_NAMES = {'weightDecay': 'weight_decay'}
BOOL_OPTIONS = {'amsgrad', 'maximize', 'nesterov', 'centered'}
KNOWN = {
    'SGD': ('lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize'),
    'Adam': ('lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'),
    'AdamW': ('lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'),
    'RMSprop': ('lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'),
}


def optimizer(name, o, params):
    o = options(o, KNOWN[name])
    for k in BOOL_OPTIONS & set(o):
        need_bool(o[k], False)
    if name == 'SGD' and 'lr' not in o:
        raise TypeError('SGD needs lr')
    if 'betas' in o:
        b = o['betas']
        if not isinstance(b, list) or len(b) != 2:
            raise ValueError('betas must be a pair')
        o['betas'] = tuple(b)
    for k, v in o.items():
        if k not in BOOL_OPTIONS and k != 'betas':
            need_number(v)
    if name == 'SGD' and o.get('nesterov') and not (o.get('momentum', 0) > 0 and o.get('dampening', 0) == 0):
        raise ValueError('nesterov')
    return getattr(torch.optim, name)(params, **{OPTION_NAMES.get(k, k): v for k, v in o.items()})


@op('optim.step')
def _optim_step(name, o, params, grads, steps):
    ps = [need_tensor(p).detach().clone().requires_grad_() for p in params]
    opt = optimizer(name, o, ps)
    for _ in range(steps):
        for p, g in zip(ps, grads):
            p.grad = need_tensor(g).clone()
        opt.step()
    return [p.detach() for p in ps]


SCHEDULERS = {
    'StepLR': ('stepSize', 'gamma'), 'MultiStepLR': ('milestones', 'gamma'), 'ExponentialLR': ('gamma',),
    'CosineAnnealingLR': ('tMax', 'etaMin'), 'LinearLR': ('startFactor', 'endFactor', 'totalIters'),
    'ConstantLR': ('factor', 'totalIters'),
    'ReduceLROnPlateau': ('mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'),
}
SCHEDULER_OPTION_NAMES = {'stepSize': 'step_size', 'tMax': 'T_max', 'etaMin': 'eta_min', 'startFactor': 'start_factor',
                          'endFactor': 'end_factor', 'totalIters': 'total_iters', 'thresholdMode': 'threshold_mode', 'minLr': 'min_lr'}


@op('lr_scheduler.run')
def _lr_scheduler(name, o, steps, metrics):
    """The learning rate of SGD(lr=0.1) under the scheduler: at the start and after each step."""
    o = options(o, SCHEDULERS[name])
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.1)
    s = getattr(torch.optim.lr_scheduler, name)(opt, **{SCHEDULER_OPTION_NAMES.get(k, k): v for k, v in o.items()})
    lrs = [opt.param_groups[0]['lr']]
    for k in range(steps):
        opt.step()
        if name == 'ReduceLROnPlateau':
            s.step(need_number(metrics[k]))
        else:
            s.step()
        lrs.append(opt.param_groups[0]['lr'])
    return torch.tensor(lrs, dtype=torch.float64)


LBFGS_OPTION_NAMES = {'maxIter': 'max_iter', 'maxEval': 'max_eval', 'toleranceGrad': 'tolerance_grad',
                      'toleranceChange': 'tolerance_change', 'historySize': 'history_size', 'lineSearchFn': 'line_search_fn'}


@op('optim.lbfgs')
def _lbfgs(o, x0, w, steps):
    """L-BFGS steps on f(x) = Σ w (x − 1)² + ¼ Σ x⁴ from x0; the iterate and f after each step."""
    o = options(o, ('lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn'))
    x = need_tensor(x0).detach().clone().requires_grad_()
    w = need_tensor(w)
    opt = torch.optim.LBFGS([x], **{LBFGS_OPTION_NAMES.get(k, k): v for k, v in o.items()})

    def closure():
        opt.zero_grad()
        f = (w * (x - 1) ** 2).sum() + 0.25 * (x ** 4).sum()
        f.backward()
        return f
    out = []
    for _ in range(steps):
        opt.step(closure)
        out.append(x.detach().clone())
    return out


ACTIVATIONS = {'tanh': torch.tanh, 'sin': torch.sin, 'relu': torch.relu, 'gelu': F.gelu, 'silu': F.silu,
               'sigmoid': torch.sigmoid, 'softplus': F.softplus, 'identity': lambda z: z}
INITS = {'xavierNormal': torch.nn.init.xavier_normal_, 'xavierUniform': torch.nn.init.xavier_uniform_,
         'kaimingNormal': lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity='relu'),
         'kaimingUniform': lambda w: torch.nn.init.kaiming_uniform_(w, nonlinearity='relu')}


def positive_int(n):
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError('a positive integer')
    return n


@op('nn.Linear')
def _linear_module(seed, n_in, n_out, o=MISSING, x=MISSING):
    o = options(o, ('bias', 'dtype', 'device'))
    device_of(o)
    dtype = dtype_of(o, torch.float32)
    if not dtype.is_floating_point:
        raise Intended('Linear needs a floating point dtype')
    torch.manual_seed(seed)
    m = torch.nn.Linear(positive_int(n_in), positive_int(n_out), bias=need_bool(o.get('bias', MISSING), True), dtype=dtype)
    x = need_tensor(x)
    if x.dim() == 0 or x.dtype != dtype:
        raise Intended('input must be [..., in] of the weight dtype')
    with torch.no_grad():
        y = m(x)
    return {'weight': m.weight, 'bias': m.bias, 'y': y}


@op('nn.MLP')
def _mlp(seed, sizes, o=MISSING, x=MISSING):
    o = options(o, ('activation', 'init', 'seed', 'dtype', 'device', 'adaptive', 'omega0', 'omega0First'))
    device_of(o)
    dtype = dtype_of(o, torch.float32)
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise ValueError('sizes')
    sizes = [positive_int(n) for n in sizes]
    act = o.get('activation', 'tanh')
    init = o.get('init', 'xavierNormal')
    if act not in ACTIVATIONS or (init not in INITS and init != 'default'):
        raise ValueError('unknown activation or init')
    if not dtype.is_floating_point:
        raise Intended('MLP needs a floating point dtype')
    if 'seed' in o:
        if not isinstance(o['seed'], int):
            raise TypeError('seed')
        torch.manual_seed(o['seed'])
    else:
        torch.manual_seed(seed)
    layers = []
    for i in range(len(sizes) - 1):
        layer = torch.nn.Linear(sizes[i], sizes[i + 1], dtype=dtype)
        if init != 'default':
            INITS[init](layer.weight)
            torch.nn.init.zeros_(layer.bias)
        layers.append(layer)
    params = []
    for i, layer in enumerate(layers):
        params += [[f'{2 * i}.weight', layer.weight], [f'{2 * i}.bias', layer.bias]]
    x = need_tensor(x)
    if x.dim() == 0 or x.shape[-1] != sizes[0] or x.dtype != dtype:
        raise Intended('input must be [..., in] of the weight dtype')
    with torch.no_grad():
        for i, layer in enumerate(layers):
            x = layer(x)
            if i < len(layers) - 1:
                x = ACTIVATIONS[act](x)
    return {'params': params, 'y': x}


@op('Module.to')
def _module_to(target=MISSING):
    if isinstance(target, str):
        target = {'dtype': target} if target in DTYPES else {'device': target}
    o = options(target, ('dtype', 'device'))
    device_of(o)
    dtype = dtype_of(o, torch.float32)
    if not dtype.is_floating_point:
        raise RuntimeError('nn.Module.to only accepts floating point dtypes')
    names = ['0.weight', '0.bias', '2.weight', '2.bias']
    return [[n, NAMES[dtype], True] for n in names]


# ---- the loop -----------------------------------------------------------------------------
def evaluate(case):
    try:
        fn = OPS.get(case['op'])
        if fn is None:
            return {'ok': False, 'error': {'name': 'Unsupported', 'isError': True, 'message': f"no PyTorch mapping for {case['op']}"}}
        args = [decode(a) for a in case['args']]
        if any(isinstance(a, Disposed) for a in args) or any(isinstance(a, list) and any(isinstance(x, Disposed) for x in a) for a in args):
            raise RuntimeError('a disposed tensor')
        if any(isinstance(a, Opaque) for a in args):
            raise TypeError('an argument of no Python type')
        while args and args[-1] is MISSING:
            args.pop()
        result = fn(*args)
    except Intended as e:
        return {'ok': False, 'error': {'name': 'Intended', 'isError': True, 'message': str(e)}}
    except Exception as e:  # noqa: BLE001 - every PyTorch refusal is an answer
        return {'ok': False, 'error': {'name': type(e).__name__, 'isError': True, 'message': str(e).split('\n')[0]}}
    try:
        return {'ok': True, 'value': encode(result)}
    except Exception as e:  # noqa: BLE001 - a result too large to read back
        return {'ok': False, 'error': {'name': 'Unreadable', 'isError': True, 'message': str(e).split('\n')[0]}}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        # An integer JS wrote past 2^53 is the shortest decimal of a double: read it as that double.
        msg = json.loads(line, parse_int=lambda s: int(float(s)) if len(s.lstrip('-')) > 15 else int(s))
        out = evaluate(msg['case'])
        sys.stdout.write(json.dumps({'id': msg['id'], 'outcome': out}, allow_nan=False) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
