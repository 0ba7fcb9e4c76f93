//! `wirecheck serve`: the embedded target on its own.

use wirecheck::exit;
use wirecheck_target::Target;

use crate::args::ServeArgs;

pub(crate) fn serve(args: ServeArgs) -> u8 {
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::INFRA;
        }
    };
    rt.block_on(async {
        let target = match Target::start(args.listen).await {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot listen on {}: {e}", args.listen);
                return exit::INFRA;
            }
        };
        println!("http://{}", target.local_addr());
        eprintln!("serving the embedded target; Ctrl-C to stop");
        let _ = tokio::signal::ctrl_c().await;
        target.shutdown().await;
        exit::OK
    })
}
