// libglibcxx_compat.so: std::ios_base_library_init() for a libstdc++ older than GCC 13's.
//
// TorchSharp's libLibTorchSharp.so was built with GCC 13, whose <iostream> no longer puts a static
// std::ios_base::Init object into every file that includes it; instead it references
// std::ios_base_library_init()@GLIBCXX_3.4.32, a function of GCC 13's libstdc++ that exists only so that the program
// is linked against a libstdc++ that constructs the standard streams itself. Debian 12's libstdc++ (GCC 12) has no
// such function; patch_libtorchsharp.py marks that version weak in a copy of the library and adds this library as a
// dependency of the copy, so the reference binds here.
//
// The function can do nothing, because the streams are initialised anyway: this file includes <iostream> and is
// compiled with the system's g++ (GCC 12), whose <iostream> places a std::ios_base::Init object in this library. It
// is constructed when this library loads, and this library, a dependency of libLibTorchSharp.so, loads and runs its
// initialisers first; std::ios_base::Init counts its instances, so any number of them is harmless.
#include <iostream>

namespace std {
// the name GCC 13 gives it (mangled _ZSt21ios_base_library_initv), exported without a symbol version
__attribute__((visibility("default"))) void ios_base_library_init();
void ios_base_library_init() {}
}
