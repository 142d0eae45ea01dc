//! Logging: one subscriber, set up once, writing to standard error.

use tracing_subscriber::EnvFilter;

/// Installs the log subscriber: `RUST_LOG` if set, else info (debug with -v, trace with -vv).
pub fn init(verbose: u8) {
    let default = match verbose {
        0 => "info,sqlx=warn,tower_http=info",
        1 => "debug,sqlx=info",
        _ => "trace",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
