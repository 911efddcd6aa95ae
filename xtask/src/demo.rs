//! `cargo xtask demo`: the whole product on one machine, from nothing.
//!
//! Installs what is missing, builds the portal in release, generates the territory index, starts
//! the identity provider and one reference provider per member, and serves the portal on 127.0.0.1
//! until Ctrl-C.

use crate::e2e::PortalServer;
use crate::error::Result;
use crate::paths;
use crate::spa;
use crate::stack::{Options as StackOptions, Stack};
use crate::step;
use crate::territory;
use crate::tools;

pub struct Options {
    pub port: u16,
    pub build: bool,
}

pub fn demo(options: &Options) -> Result<()> {
    step::run("install: pinned tools", tools::ensure_build_tools)?;
    step::run("territory index from the COG", territory::generate)?;
    if options.build {
        step::run("release build of the portal", spa::build_release)?;
    }
    let stack = step::run("start the demo federation", || {
        Stack::start(&StackOptions {
            data: paths::artifacts().join("demo"),
            fresh: false,
        })
    })?;
    let server = PortalServer::start(options.port)?;
    println!("\nGuichet is running (data kept in target/demo/ across restarts):");
    println!("  {:<34}{}/", "portail", server.url());
    for (name, url) in stack.urls() {
        println!("  {name:<34}{url}");
    }
    println!("\nDemo citizens (password `demo`):");
    println!("  camille.martin    Camille Martin, 12 rue Louis Blanc, 45500 Gien");
    println!("  jean.lefebvre     Jean Lefebvre, 5 avenue de la République, 14800 Deauville");
    println!(
        "\nAgent CLI, e.g.: cargo run -q -p provider -- -c target/demo/config/gien.toml agent list"
    );
    println!("\nPress Ctrl-C to stop.");
    wait_for_ctrl_c();
    println!("\nStopping…");
    drop(server);
    drop(stack);
    Ok(())
}

/// Blocks until the process receives Ctrl-C (SIGINT) or SIGTERM.
pub fn wait_for_ctrl_c() {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            if let Ok(mut term) = signal(SignalKind::terminate()) {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                return;
            }
        }
        let _ = tokio::signal::ctrl_c().await;
    });
}
