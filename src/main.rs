// mimalloc: analysis allocates many small strings and maps; glibc's
// allocator spent a third of `check`'s time in malloc and free
// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    stackc::cli::main()
}
