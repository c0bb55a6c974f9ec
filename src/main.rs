//! The `kiln` command: a thin shell over the library.
#![forbid(unsafe_code)]

// mimalloc instead of the system allocator: a build allocates and frees millions of small
// strings across threads; glibc's per-thread arenas kept freed memory resident and its
// malloc/free showed up as ~10% of a 10k-page build's profile.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(kiln::cli::main());
}
