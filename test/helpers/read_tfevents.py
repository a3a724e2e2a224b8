#!/usr/bin/env python3
"""An independent reader of TensorBoard event files, standard library only.

Usage: read_tfevents.py FILE_OR_DIR...   (a directory: its events.out.tfevents.* files, by name)

Parses the TFRecord framing (uint64 length, masked CRC32C of the length, data, masked CRC32C
of the data), checks every CRC with its own CRC32C, decodes the Event protobufs by hand
(varints and wire types; field numbers from tensorflow/core/util/event.proto and
framework/summary.proto) and prints JSON:
  {"files": [{"path", "events": [{"wall_time", "step", "file_version" | "summary" | "session_log"}]}]}
A summary is a list of {"tag", "simple_value" | "image" | "text" | "plugin"}; images carry their
PNG bytes as hex. Non-finite floats print as the strings "NaN", "Infinity", "-Infinity".
A bad CRC, a truncated record or a malformed protobuf: a message on stderr and exit status 1.
"""
import json
import math
import os
import struct
import sys

# CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, table-driven.
_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data):
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


class FormatError(Exception):
    pass


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    pos, index = 0, 0
    while pos < len(data):
        if len(data) - pos < 12:
            raise FormatError(f"{path}: record {index}: truncated header at byte {pos}")
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if masked_crc32c(header) != length_crc:
            raise FormatError(f"{path}: record {index}: length CRC mismatch at byte {pos}")
        end = pos + 12 + length
        if end + 4 > len(data):
            raise FormatError(f"{path}: record {index}: truncated data at byte {pos}")
        body = data[pos + 12:end]
        (data_crc,) = struct.unpack("<I", data[end:end + 4])
        if masked_crc32c(body) != data_crc:
            raise FormatError(f"{path}: record {index}: data CRC mismatch at byte {pos}")
        yield body
        pos, index = end + 4, index + 1


def varint(buf, pos):
    result, shift = 0, 0
    while True:
        if pos >= len(buf):
            raise FormatError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise FormatError("varint too long")


def fields(buf):
    """Yields (field number, wire type, value): an int for varints, bytes for the fixed and length-delimited types."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise FormatError(f"unsupported wire type {wire}")
        if pos > len(buf):
            raise FormatError("field runs past the end of its message")
        yield number, wire, value


def signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


def finite_or_name(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def decode_image(buf):
    image = {}
    for number, _, value in fields(buf):
        if number in (1, 2, 3):
            image[{1: "height", 2: "width", 3: "colorspace"}[number]] = value
        elif number == 4:
            image["png_hex"] = bytes(value).hex()
    return image


def decode_tensor_strings(buf):
    dtype, strings = None, []
    for number, _, value in fields(buf):
        if number == 1:
            dtype = value
        elif number == 8:
            strings.append(bytes(value).decode("utf-8"))
    return dtype, strings


def decode_plugin_name(metadata):
    for number, _, value in fields(metadata):
        if number == 1:  # plugin_data
            for n2, _, v2 in fields(value):
                if n2 == 1:
                    return bytes(v2).decode("utf-8")
    return None


def decode_value(buf):
    out, plugin, tensor = {}, None, None
    for number, wire, value in fields(buf):
        if number == 1:
            out["tag"] = bytes(value).decode("utf-8")
        elif number == 2 and wire == 5:
            out["simple_value"] = finite_or_name(struct.unpack("<f", value)[0])
        elif number == 4:
            out["image"] = decode_image(value)
        elif number == 8:
            tensor = value
        elif number == 9:
            plugin = decode_plugin_name(value)
    if tensor is not None:
        dtype, strings = decode_tensor_strings(tensor)
        out["plugin"] = plugin
        if plugin == "text" and dtype == 7:
            out["text"] = strings[0] if len(strings) == 1 else strings
    return out


def decode_event(buf):
    event = {}
    for number, wire, value in fields(buf):
        if number == 1 and wire == 1:
            event["wall_time"] = struct.unpack("<d", value)[0]
        elif number == 2 and wire == 0:
            event["step"] = signed64(value)
        elif number == 3:
            event["file_version"] = bytes(value).decode("utf-8")
        elif number == 5:
            event["summary"] = [decode_value(v) for n, _, v in fields(value) if n == 1]
        elif number == 7:
            status = next((v for n, _, v in fields(value) if n == 1), 0)
            event["session_log"] = {0: "STATUS_UNSPECIFIED", 1: "START", 2: "STOP", 3: "CHECKPOINT"}.get(status, status)
    event.setdefault("step", 0)
    return event


def read(path):
    return {"path": path, "events": [decode_event(r) for r in records(path)]}


def main(args):
    paths = []
    for a in args:
        if os.path.isdir(a):
            paths += [os.path.join(a, n) for n in sorted(os.listdir(a)) if n.startswith("events.out.tfevents.")]
        else:
            paths.append(a)
    try:
        out = {"files": [read(p) for p in paths]}
    except FormatError as e:
        print(f"read_tfevents: {e}", file=sys.stderr)
        return 1
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
