#!/usr/bin/python3
"""Makes a loadable copy of TorchSharp's libLibTorchSharp.so for a libstdc++ older than the one it was built with.

Why: TorchSharp-cpu 0.107.0's libLibTorchSharp.so was built with GCC 13. It asks libstdc++.so.6 for the symbol
version GLIBCXX_3.4.32 (GCC 13), which Debian 12's libstdc++ (GCC 12, up to GLIBCXX_3.4.30) does not define, and the
dynamic loader refuses the library ("version `GLIBCXX_3.4.32' not found"). Only one symbol carries that version:
std::ios_base_library_init(), a call GCC 13's <iostream> makes so that a program links against a libstdc++ that
initialises the standard streams itself. The rest of the library asks only for versions GCC 12 has.

What, on a COPY (never the file in the NuGet cache):
  1. In the copy's version-needs table (.gnu.version_r), the entry "libstdc++.so.6 needs GLIBCXX_3.4.32" is marked
     weak (VER_FLG_WEAK): glibc's loader then only warns about a missing weak version instead of refusing the library.
  2. A tiny compatibility library (glibcxx_compat.cpp, built here with the system's g++) defines
     std::ios_base_library_init() without a symbol version, and `patchelf --add-needed` makes the copy depend on it.
     glibc binds a versioned reference to an unversioned definition in a library other than the one the version
     names, so the one symbol resolves there.

When: only when needed. The script compares the GLIBCXX/CXXABI versions the library needs with those the system's
libstdc++.so.6 defines. None missing (a newer distribution): it does nothing and says so (exit 0, no files). Only
GLIBCXX_3.4.32 missing, and only for std::ios_base_library_init(): it patches. Anything else missing: it stops with
the list, since a stand-in for other symbols would be guesswork.

    patch_libtorchsharp.py SOURCE OUT_DIR [--libstdcxx PATH] [--compat-source FILE]

writes OUT_DIR/libLibTorchSharp.so and OUT_DIR/libglibcxx_compat.so (or nothing when no patch is needed) and prints
one line saying which. Exit status: 0 done (patched or not needed), 1 cannot be done (message on stderr).

ELF is read with plain struct parsing (ELF64, little-endian: x86-64); the layout of each table is given next to
the code that reads it (see the System V gABI and the LSB's "Symbol Versioning" chapter).
"""
import os
import shutil
import struct
import subprocess
import sys
import tempfile

NEEDED_VERSION = "GLIBCXX_3.4.32"                 # the one version we can stand in for
STAND_IN_SYMBOLS = {"_ZSt21ios_base_library_initv"}  # std::ios_base_library_init(), its only user
COMPAT_SONAME = "libglibcxx_compat.so"
VER_FLG_WEAK = 0x2

SHT_DYNSYM = 11
SHT_GNU_VERDEF = 0x6FFFFFFD
SHT_GNU_VERNEED = 0x6FFFFFFE
SHT_GNU_VERSYM = 0x6FFFFFFF


class ElfError(Exception):
    pass


class Elf64:
    """The parts of an ELF64 little-endian shared object this script needs: its sections and their string tables."""

    def __init__(self, data):
        self.data = data
        # e_ident: magic, class (2 = 64-bit), data (1 = little-endian)
        if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
            raise ElfError("not a 64-bit little-endian ELF file")
        # Elf64_Ehdr after e_ident[16]: e_type H, e_machine H, e_version I, e_entry Q, e_phoff Q, e_shoff Q,
        # e_flags I, e_ehsize H, e_phentsize H, e_phnum H, e_shentsize H, e_shnum H, e_shstrndx H
        (_, _, _, _, _, shoff, _, _, _, _, shentsize, shnum, _) = struct.unpack_from("<HHIQQQIHHHHHH", data, 16)
        if shoff == 0 or shnum == 0:
            raise ElfError("the file has no section headers")
        self.sections = []
        for i in range(shnum):
            # Elf64_Shdr: sh_name I, sh_type I, sh_flags Q, sh_addr Q, sh_offset Q, sh_size Q, sh_link I, sh_info I,
            # sh_addralign Q, sh_entsize Q
            name, stype, _, _, offset, size, link, info, _, entsize = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
            self.sections.append(dict(type=stype, offset=offset, size=size, link=link, info=info, entsize=entsize))

    def section(self, stype):
        found = [s for s in self.sections if s["type"] == stype]
        return found[0] if found else None

    def string(self, strtab_index, offset):
        start = self.sections[strtab_index]["offset"] + offset
        return self.data[start:self.data.index(b"\0", start)].decode()

    def version_needs(self):
        """[(file, version name, vna_other, file offset of its Elf64_Vernaux)] from .gnu.version_r."""
        sec = self.section(SHT_GNU_VERNEED)
        if sec is None:
            return []
        needs, at = [], sec["offset"]
        for _ in range(sec["info"]):  # sh_info: the number of Elf64_Verneed entries
            # Elf64_Verneed: vn_version H, vn_cnt H, vn_file I, vn_aux I (offset of the first Vernaux), vn_next I
            _, cnt, vn_file, vn_aux, vn_next = struct.unpack_from("<HHIII", self.data, at)
            aux = at + vn_aux
            for _ in range(cnt):
                # Elf64_Vernaux: vna_hash I, vna_flags H, vna_other H (the index .gnu.version uses), vna_name I, vna_next I
                _, _, other, vna_name, vna_next = struct.unpack_from("<IHHII", self.data, aux)
                needs.append((self.string(sec["link"], vn_file), self.string(sec["link"], vna_name), other, aux))
                aux += vna_next
            if vn_next == 0:
                break
            at += vn_next
        return needs

    def version_definitions(self):
        """The version names this object defines (.gnu.version_d)."""
        sec = self.section(SHT_GNU_VERDEF)
        if sec is None:
            return set()
        names, at = set(), sec["offset"]
        for _ in range(sec["info"]):  # sh_info: the number of Elf64_Verdef entries
            # Elf64_Verdef: vd_version H, vd_flags H, vd_ndx H, vd_cnt H, vd_hash I, vd_aux I, vd_next I;
            # its first Elf64_Verdaux (vda_name I, vda_next I) names the version
            _, _, _, _, _, vd_aux, vd_next = struct.unpack_from("<HHHHIII", self.data, at)
            (vda_name,) = struct.unpack_from("<I", self.data, at + vd_aux)
            names.add(self.string(sec["link"], vda_name))
            if vd_next == 0:
                break
            at += vd_next
        return names

    def symbols_with_version(self, version_index):
        """Names of the undefined dynamic symbols whose .gnu.version entry is version_index."""
        dynsym, versym = self.section(SHT_DYNSYM), self.section(SHT_GNU_VERSYM)
        if dynsym is None or versym is None:
            return set()
        names = set()
        for i in range(dynsym["size"] // dynsym["entsize"]):
            # Elf64_Sym: st_name I, st_info B, st_other B, st_shndx H, st_value Q, st_size Q
            st_name, _, _, shndx, _, _ = struct.unpack_from("<IBBHQQ", self.data, dynsym["offset"] + i * dynsym["entsize"])
            # .gnu.version: one Elf64_Half per dynamic symbol; bit 15 is "hidden", the rest the version index
            (ver,) = struct.unpack_from("<H", self.data, versym["offset"] + 2 * i)
            if shndx == 0 and (ver & 0x7FFF) == version_index:
                names.add(self.string(dynsym["link"], st_name))
        return names


def system_libstdcxx():
    """The libstdc++.so.6 the dynamic loader would pick for a 64-bit process, from ldconfig's cache."""
    try:
        out = subprocess.run(["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise ElfError(f"cannot ask ldconfig where libstdc++.so.6 is ({e}); pass --libstdcxx")
    for line in out.splitlines():
        name, _, path = line.strip().partition(" => ")
        if name.startswith("libstdc++.so.6 ") and "x86-64" in name:
            return path
    raise ElfError("ldconfig knows no 64-bit libstdc++.so.6; pass --libstdcxx")


def missing_versions(lib, libstdcxx):
    """The versions lib needs from libstdc++.so.6 that libstdcxx does not define."""
    defined = Elf64(open(libstdcxx, "rb").read()).version_definitions()
    return sorted({name for file, name, _, _ in lib.version_needs() if file == "libstdc++.so.6" and name not in defined})


def mark_weak(data, version):
    """Sets VER_FLG_WEAK on the Vernaux entry "libstdc++.so.6 needs <version>" in data (a bytearray of the copy)."""
    lib = Elf64(data)
    entries = [(other, at) for file, name, other, at in lib.version_needs() if file == "libstdc++.so.6" and name == version]
    if not entries:
        raise ElfError(f"the library does not ask libstdc++.so.6 for {version}")
    for _, at in entries:
        (flags,) = struct.unpack_from("<H", data, at + 4)  # vna_flags follows the 4-byte vna_hash
        struct.pack_into("<H", data, at + 4, flags | VER_FLG_WEAK)
    return entries[0][0]


def build_compat(source, out_path):
    cxx = shutil.which("g++") or shutil.which("c++")
    if cxx is None:
        raise ElfError("no C++ compiler (g++) to build the compatibility library; install g++")
    cmd = [cxx, "-shared", "-fPIC", "-O2", f"-Wl,-soname,{COMPAT_SONAME}", "-o", out_path, source]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise ElfError(f"building {COMPAT_SONAME} failed: {' '.join(cmd)}\n{r.stderr}")


def patch(source, out_dir, libstdcxx, compat_source):
    original = Elf64(open(source, "rb").read())
    missing = missing_versions(original, libstdcxx)
    if not missing:
        print(f"not needed: {libstdcxx} defines every libstdc++ version {os.path.basename(source)} asks for")
        return
    if missing != [NEEDED_VERSION]:
        raise ElfError(f"{libstdcxx} lacks {', '.join(missing)}, which {source} needs; only {NEEDED_VERSION} has a "
                       "stand-in here. Use a distribution with a newer libstdc++ (GCC 13 or later).")
    index = next(other for file, name, other, _ in original.version_needs() if file == "libstdc++.so.6" and name == NEEDED_VERSION)
    users = original.symbols_with_version(index)
    if not users or not users <= STAND_IN_SYMBOLS:
        raise ElfError(f"{source} needs {NEEDED_VERSION} for {', '.join(sorted(users)) or 'no symbol'}; the compatibility "
                       f"library only stands in for {', '.join(sorted(STAND_IN_SYMBOLS))}")
    patchelf = shutil.which("patchelf")
    if patchelf is None:
        raise ElfError("patchelf is missing; run 'apt-get install patchelf'")

    os.makedirs(out_dir, exist_ok=True)
    # everything is written to a temporary folder beside the output and moved in at the end: an interrupted run never
    # leaves a half-patched library where the build picks it up
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".patch-") as tmp:
        data = bytearray(original.data)
        mark_weak(data, NEEDED_VERSION)
        lib = os.path.join(tmp, "libLibTorchSharp.so")
        with open(lib, "wb") as f:
            f.write(data)
        os.chmod(lib, 0o755)
        build_compat(compat_source, os.path.join(tmp, COMPAT_SONAME))
        # the library's RUNPATH starts with $ORIGIN/, so the compatibility library is found beside it
        r = subprocess.run([patchelf, "--add-needed", COMPAT_SONAME, lib], capture_output=True, text=True)
        if r.returncode != 0:
            raise ElfError(f"patchelf --add-needed {COMPAT_SONAME} failed: {r.stderr.strip()}")
        for name in (COMPAT_SONAME, "libLibTorchSharp.so"):
            os.replace(os.path.join(tmp, name), os.path.join(out_dir, name))
    print(f"patched: {out_dir}/libLibTorchSharp.so ({NEEDED_VERSION} weak, needs {COMPAT_SONAME})")


def main(argv):
    args, libstdcxx, compat_source = [], None, os.path.join(os.path.dirname(os.path.abspath(__file__)), "glibcxx_compat.cpp")
    it = iter(argv)
    for a in it:
        if a == "--libstdcxx":
            libstdcxx = next(it, None)
        elif a == "--compat-source":
            compat_source = next(it, None)
        else:
            args.append(a)
    if len(args) != 2 or libstdcxx == "" or compat_source is None:
        print("usage: patch_libtorchsharp.py SOURCE OUT_DIR [--libstdcxx PATH] [--compat-source FILE]", file=sys.stderr)
        return 2
    source, out_dir = args
    try:
        patch(source, out_dir, libstdcxx or system_libstdcxx(), compat_source)
    except (ElfError, OSError, struct.error, ValueError) as e:
        print(f"patch_libtorchsharp: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
