use clap::Parser;

/// mimalloc instead of the system allocator: parsing and fixing allocate many small, short-lived
/// nodes and strings, and glibc's malloc/free took about an eighth of the time in a profile of a
/// corpus run (benches/throughput.sh measures the difference).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // tree-sitter's C runtime allocates every node and parse stack with malloc: the same
    // allocator serves it too. Set before any parser exists, as tree-sitter requires.
    // SAFETY: called once, first thing, while no tree-sitter object is alive; the four
    // functions are one allocator's matching malloc/calloc/realloc/free.
    unsafe {
        tree_sitter::set_allocator(
            Some(libmimalloc_sys::mi_malloc),
            Some(libmimalloc_sys::mi_calloc),
            Some(libmimalloc_sys::mi_realloc),
            Some(libmimalloc_sys::mi_free),
        );
    }
    // Panics are caught and reported as errors with the file's path; the default hook would
    // print a backtrace hint on top of that.
    std::panic::set_hook(Box::new(|_| {}));
    let args = dockfix::cli::Args::parse();
    let status = std::panic::catch_unwind(|| dockfix::cli::run(args)).unwrap_or_else(|_| {
        eprintln!("dockfix: error: internal error; please report this");
        2
    });
    std::process::exit(status);
}
