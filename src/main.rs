use clap::Parser;

/// mimalloc instead of the system allocator: parsing and fixing allocate many small, short-lived
/// nodes and strings, and glibc's malloc/free took about an eighth of the time in a profile of a
/// corpus run (benches/throughput.sh measures the difference).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
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
