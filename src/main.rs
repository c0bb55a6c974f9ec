//! The `kiln` command: a thin shell over the library.

fn main() {
    std::process::exit(kiln::cli::main());
}
