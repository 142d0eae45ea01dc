//! `calmdesk user`: accounts and API tokens from the command line.

use anyhow::Context;
use calmdesk_desk::domain::{Actor, Role};

use crate::cli::{UserArgs, UserCommand};
use crate::config::Config;

fn parse_role(text: &str) -> anyhow::Result<Role> {
    Role::parse(text)
        .with_context(|| format!("--role must be one of {}, not {text:?}", Role::names()))
}

pub async fn run(config: &Config, args: UserArgs) -> anyhow::Result<()> {
    let store = config.open_store().await?;
    let actor = Actor::system("cli");
    let find = |name: String| {
        let store = store.clone();
        async move {
            store
                .find_user(&name)
                .await?
                .with_context(|| format!("there is no user named {name}"))
        }
    };
    match args.command {
        UserCommand::Add { name, role } => {
            let role = parse_role(&role)?;
            let made = store.add_user(&name, role, &actor).await?;
            println!(
                "created {} {} (id {})",
                made.user.role, made.user.name, made.user.id
            );
            println!("API token (shown once; send it as `Authorization: Bearer TOKEN`):");
            println!("{}", made.token);
        }
        UserCommand::List => {
            for user in store.list_users().await? {
                let state = if user.disabled { " (disabled)" } else { "" };
                println!("{}\t{}\t{}{}", user.id, user.name, user.role, state);
            }
        }
        UserCommand::Token { name } => {
            let user = find(name).await?;
            let made = store.issue_token(user.id, &actor).await?;
            println!("new API token for {} (shown once):", made.user.name);
            println!("{}", made.token);
        }
        UserCommand::Role { name, role } => {
            let role = parse_role(&role)?;
            let user = find(name).await?;
            let user = store.set_role(user.id, role, &actor).await?;
            println!("{} is now {}", user.name, user.role);
        }
        UserCommand::Disable { name } => {
            let user = find(name).await?;
            store.disable_user(user.id, &actor).await?;
            println!("{} is disabled and their tokens are revoked", user.name);
        }
    }
    store.close().await;
    Ok(())
}
