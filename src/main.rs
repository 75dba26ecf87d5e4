//! The `ptsearch` binary: parse the command line, run, map the outcome to an exit status.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use ptsearch::cli::{EXIT_ERROR, EXIT_LOCKED, EXIT_OK};

fn main() {
    let cli = ptsearch::cli::parse();
    let code = match ptsearch::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            let broken_pipe = e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                EXIT_OK
            } else {
                eprintln!("ptsearch: error: {e:#}");
                if matches!(
                    e.downcast_ref::<ptsearch::Error>(),
                    Some(ptsearch::Error::Locked(_))
                ) {
                    EXIT_LOCKED
                } else {
                    EXIT_ERROR
                }
            }
        }
    };
    std::process::exit(code);
}
