//! The `quincer-server` command: `serve` runs the server, `keys create` mints developer keys, `members …` manages
//! team members, `openclaw connect` connects OpenClaw, `migrate` brings a schema up to date, `export` copies a
//! SQLite deployment into PostgreSQL.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Parser, Subcommand};
use quincer_server::ops::logging::{self, LogFormat};
use quincer_server::outbound::OutboundPolicy;
use quincer_server::ratelimit::{parse_network, RateLimits, TrustedProxies};
use quincer_server::responder::openai::LlmArgs;
use quincer_server::retrieval::Mode;
use quincer_server::{provision, Config, ServeOptions};

#[derive(Parser)]
#[command(name = "quincer-server", version, about = "The Quincer chat widget server")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once at start: the size of the larger variant costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve {
        /// Address to listen on (port 0 picks a free port).
        #[arg(long, env = "QUINCER_ADDR", default_value = "127.0.0.1:8787")]
        addr: SocketAddr,
        /// Directory of the SQLite database (with `--database-url`, only the demo's files).
        #[arg(long, env = "QUINCER_DATA", default_value = "data")]
        data: PathBuf,
        /// A PostgreSQL database (`postgres://user:password@host:port/database`) to serve from instead of SQLite:
        /// several instances behind a load balancer may share it.
        #[arg(long, env = "QUINCER_DATABASE_URL")]
        database_url: Option<String>,
        /// Connections this instance opens to PostgreSQL at most.
        #[arg(long, env = "QUINCER_DATABASE_MAX_CONNECTIONS", default_value_t = 16)]
        database_max_connections: u32,
        /// Directory of the static site (loader, dist/, demo/).
        #[arg(long, env = "QUINCER_WWW", default_value = "www")]
        www: PathBuf,
        /// Seed (on first start) and serve the demo workspace, printing its keys.
        #[arg(long)]
        demo: bool,
        /// Milliseconds between streamed deltas (a few words each) of offline answers.
        #[arg(long, env = "QUINCER_REPLY_PACE_MS", default_value_t = 35)]
        reply_pace_ms: u64,
        /// The address people reach the server at, for the demo store's product links (default: http://<addr>).
        #[arg(long, env = "QUINCER_PUBLIC_URL")]
        public_url: Option<String>,
        /// Rate limits (requests a minute).
        #[command(flatten)]
        limits: LimitArgs,
        /// Which internal addresses webhooks and storefront imports may reach.
        #[command(flatten)]
        outbound: OutboundArgs,
        // The model provider: `--llm-*`, `QUINCER_LLM_*`.
        #[command(flatten)]
        llm: LlmArgs,
        /// A sentence-transformers model folder (config.json, model.safetensors, tokenizer.json) for semantic
        /// search; without one, searches rank by words alone. `./build.sh serve` passes all-MiniLM-L6-v2.
        #[arg(long, env = "QUINCER_EMBEDDING_MODEL")]
        embedding_model: Option<PathBuf>,
        /// How searches rank: words and meaning fused, words only, or meaning only (needs --embedding-model).
        #[arg(long, env = "QUINCER_RETRIEVAL", value_enum, default_value = "hybrid")]
        retrieval: Mode,
        /// Lead emails over SMTP.
        #[command(flatten)]
        mail: MailArgs,
        /// Logs, health, metrics and shutdown.
        #[command(flatten)]
        ops: OpsArgs,
    },
    /// Bring a database's schema up to date and exit (`serve` also does this at start; run it first to upgrade
    /// before starting several instances).
    Migrate {
        /// Directory of the SQLite database.
        #[arg(long, env = "QUINCER_DATA", default_value = "data")]
        data: PathBuf,
        /// A PostgreSQL database (`postgres://user:password@host:port/database`) to migrate instead of SQLite.
        #[arg(long, env = "QUINCER_DATABASE_URL")]
        database_url: Option<String>,
    },
    /// Copy a SQLite deployment (every row) into a new, empty PostgreSQL database, migrating it first; the copy
    /// commits only when every table's row count matches.
    Export {
        /// Directory of the SQLite database to copy.
        #[arg(long, env = "QUINCER_DATA", default_value = "data")]
        data: PathBuf,
        /// The PostgreSQL database to copy into (`postgres://user:password@host:port/database`).
        #[arg(long)]
        to: String,
    },
    /// Manage developer keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// Manage team members: the people who sign in to the inbox.
    Members {
        #[command(subcommand)]
        command: MembersCommand,
    },
    /// The OpenClaw integration (docs/OPENCLAW.md).
    Openclaw {
        #[command(subcommand)]
        command: OpenclawCommand,
    },
}

#[derive(Subcommand)]
enum OpenclawCommand {
    /// Create (or reuse) the organisation's "OpenClaw" team member and print a new developer key bound to it with
    /// the scopes the OpenClaw skill needs (shown once: only its hash is stored).
    Connect {
        /// Organisation id to connect.
        #[arg(long)]
        org: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// The database a management command works on.
#[derive(clap::Args)]
struct DbArgs {
    /// Directory of the SQLite database.
    #[arg(long, env = "QUINCER_DATA", default_value = "data")]
    data: PathBuf,
    /// A PostgreSQL database to work on instead of SQLite.
    #[arg(long, env = "QUINCER_DATABASE_URL")]
    database_url: Option<String>,
}

impl DbArgs {
    /// Opens (and migrates) the database.
    async fn open(&self) -> Result<quincer_server::store::Db, sqlx::Error> {
        match &self.database_url {
            Some(url) => quincer_server::db::connect_postgres(url, 1).await,
            None => quincer_server::db::open(&self.data).await,
        }
    }
}

#[derive(Subcommand)]
enum MembersCommand {
    /// Create a team member and print its id and a one-time password (shown once: only its Argon2id hash is
    /// stored).
    Create {
        /// Organisation id the member belongs to.
        #[arg(long)]
        org: String,
        /// Email address: the sign-in name, unique in the organisation.
        #[arg(long)]
        email: String,
        /// Display name, shown to visitors on takeovers and replies.
        #[arg(long)]
        name: String,
        /// `owner`, `admin` or `agent`.
        #[arg(long)]
        role: String,
        /// An avatar image URL (http(s), or a path on this server).
        #[arg(long)]
        avatar_url: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List an organisation's members, newest first (tab-separated: id, role, email, name, status, created).
    List {
        /// Organisation id.
        #[arg(long)]
        org: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable a member: their sessions end and their developer keys are refused.
    Disable {
        /// Member id (`mem_…`).
        #[arg(long)]
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Manage a member's sign-in sessions.
    Sessions {
        #[command(subcommand)]
        command: SessionsCommand,
    },
}

#[derive(Subcommand)]
enum SessionsCommand {
    /// Revoke every sign-in session of a member (signs them out everywhere).
    Revoke {
        /// Member id (`mem_…`).
        #[arg(long)]
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// Requests a minute; the defaults are the documented limits of the developer API.
#[derive(clap::Args)]
struct LimitArgs {
    /// `GET` requests per developer key.
    #[arg(long, env = "QUINCER_RATE_LIMIT_DEV_READS", default_value_t = RateLimits::default().dev_reads)]
    rate_limit_dev_reads: u32,
    /// Other requests per developer key.
    #[arg(long, env = "QUINCER_RATE_LIMIT_DEV_WRITES", default_value_t = RateLimits::default().dev_writes)]
    rate_limit_dev_writes: u32,
    /// Requests to the public widget endpoints per client address.
    #[arg(long, env = "QUINCER_RATE_LIMIT_PUBLIC_IP", default_value_t = RateLimits::default().public_per_ip)]
    rate_limit_public_ip: u32,
    /// Chat messages per visitor.
    #[arg(long, env = "QUINCER_RATE_LIMIT_CHAT", default_value_t = RateLimits::default().chat_per_visitor)]
    rate_limit_chat: u32,
    /// A balancer (address or network, repeatable) whose X-Forwarded-For names the client address the per-address
    /// limit counts; without it the header is ignored.
    #[arg(long = "trusted-proxy", env = "QUINCER_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// Inbox sign-in attempts per client address.
    #[arg(long, env = "QUINCER_RATE_LIMIT_SIGN_IN_IP", default_value_t = RateLimits::default().sign_in_per_ip)]
    rate_limit_sign_in_ip: u32,
    /// Inbox sign-in attempts per email address.
    #[arg(long, env = "QUINCER_RATE_LIMIT_SIGN_IN_EMAIL", default_value_t = RateLimits::default().sign_in_per_email)]
    rate_limit_sign_in_email: u32,
}

impl From<LimitArgs> for RateLimits {
    fn from(a: LimitArgs) -> Self {
        RateLimits {
            dev_reads: a.rate_limit_dev_reads,
            dev_writes: a.rate_limit_dev_writes,
            public_per_ip: a.rate_limit_public_ip,
            chat_per_visitor: a.rate_limit_chat,
            sign_in_per_ip: a.rate_limit_sign_in_ip,
            sign_in_per_email: a.rate_limit_sign_in_email,
        }
    }
}

/// Where lead emails go: without `--smtp-url`, sending answers 409 and drafts still work.
#[derive(clap::Args)]
struct MailArgs {
    /// The SMTP server lead emails are sent through: smtp://host:25 (plain, for a local relay),
    /// smtp://user:password@host:587?tls=required (STARTTLS), smtps://user:password@host:465 (TLS).
    #[arg(long, env = "QUINCER_SMTP_URL")]
    smtp_url: Option<String>,
    /// The From of lead emails (`Sales <sales@example.com>`); required with --smtp-url.
    #[arg(long, env = "QUINCER_MAIL_FROM")]
    mail_from: Option<String>,
}

/// Running in production: log format, `/metrics` address, shutdown grace.
#[derive(clap::Args)]
struct OpsArgs {
    /// Log lines on stderr: readable text, or one JSON object per line; each line of a request names its
    /// request id.
    #[arg(long, env = "QUINCER_LOG_FORMAT", value_enum, default_value = "human")]
    log_format: LogFormat,
    /// Serve `/metrics` on this address instead of the main one (e.g. 127.0.0.1:9187, reachable by Prometheus
    /// only).
    #[arg(long, env = "QUINCER_METRICS_ADDR")]
    metrics_addr: Option<SocketAddr>,
    /// On SIGTERM or Ctrl-C, seconds that replies in flight may take to finish before the server exits.
    #[arg(long, env = "QUINCER_SHUTDOWN_GRACE_SECS", default_value_t = quincer_server::DEFAULT_SHUTDOWN_GRACE.as_secs())]
    shutdown_grace_secs: u64,
}

/// Outbound calls to URLs clients give (webhook receivers, storefronts) are refused when they lead to loopback,
/// private, link-local or unspecified addresses, except in the demo, whose peers run on this machine.
#[derive(clap::Args)]
struct OutboundArgs {
    /// Allow webhooks and storefront imports to reach internal addresses (default: only with --demo).
    #[arg(long, env = "QUINCER_ALLOW_PRIVATE_NETWORK", num_args = 0..=1, default_missing_value = "true")]
    allow_private_network: Option<bool>,
    /// Hosts (names or IP addresses) allowed even when internal; comma-separated in the environment variable.
    #[arg(long = "allow-outbound-host", env = "QUINCER_ALLOW_OUTBOUND_HOSTS", value_delimiter = ',')]
    allow_outbound_hosts: Vec<String>,
}

impl OutboundArgs {
    /// The policy; `demo` decides when `--allow-private-network` is not given.
    fn policy(self, demo: bool) -> OutboundPolicy {
        OutboundPolicy {
            allow_private: self.allow_private_network.unwrap_or(demo),
            allow_hosts: self
                .allow_outbound_hosts
                .iter()
                .map(|h| h.trim().trim_start_matches('[').trim_end_matches(']').to_lowercase())
                .filter(|h| !h.is_empty())
                .collect(),
        }
    }
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Mint a developer key and print it (once: only its hash is stored).
    Create {
        /// Organisation id the key belongs to.
        #[arg(long)]
        org: String,
        /// Comma- or space-separated scopes, e.g. `conversations:read,conversations:takeover`.
        #[arg(long)]
        scopes: String,
        /// A name to recognise the key by.
        #[arg(long, default_value = "")]
        name: String,
        /// A team member of the organisation (`mem_…`) the key acts as; its scopes must be within the member's
        /// role.
        #[arg(long)]
        member: Option<String>,
        /// Directory of the SQLite database.
        #[arg(long, env = "QUINCER_DATA", default_value = "data")]
        data: PathBuf,
        /// A PostgreSQL database to create the key in instead of SQLite.
        #[arg(long, env = "QUINCER_DATABASE_URL")]
        database_url: Option<String>,
    },
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    // Logs go to stderr: stdout carries only the machine-readable QUINCER_* lines.
    logging::init(match &cli.command {
        Command::Serve { ops, .. } => ops.log_format,
        Command::Keys { .. }
        | Command::Members { .. }
        | Command::Openclaw { .. }
        | Command::Export { .. }
        | Command::Migrate { .. } => LogFormat::Human,
    });
    if let Err(e) = run(cli).await {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    match cli.command {
        Command::Serve {
            addr,
            data,
            database_url,
            database_max_connections,
            www,
            demo,
            reply_pace_ms,
            public_url,
            limits,
            outbound,
            llm,
            embedding_model,
            retrieval,
            mail,
            ops,
        } => {
            // Bound first: with port 0 the address (and so the demo store's public URL) is known only now.
            let listener = tokio::net::TcpListener::bind(addr).await?;
            let local = listener.local_addr()?;
            let metrics = match ops.metrics_addr {
                Some(addr) => Some(tokio::net::TcpListener::bind(addr).await?),
                None => None,
            };
            let metrics_url = match &metrics {
                Some(l) => format!("http://{}/metrics", l.local_addr()?),
                None => format!("http://{local}/metrics"),
            };
            let config = Config {
                data_dir: data,
                database_url,
                database_max_connections,
                www_dir: www,
                demo,
                reply_pace: Duration::from_millis(reply_pace_ms),
                webhook_policy: Default::default(),
                public_url: Some(public_url.unwrap_or_else(|| format!("http://{local}"))),
                storefront: Default::default(),
                trusted_proxies: TrustedProxies::new(limits.trusted_proxies.clone()),
                rate_limits: limits.into(),
                llm: llm.config(),
                outbound: outbound.policy(demo),
                embedding_model,
                retrieval,
                mail: quincer_server::emails::MailConfig {
                    smtp_url: mail.smtp_url,
                    mail_from: mail.mail_from,
                    policy: Default::default(),
                },
            };
            let started = quincer_server::start(&config).await?;
            // Machine-readable lines: build.sh and the test harness read these.
            println!("QUINCER_URL=http://{local}");
            println!("QUINCER_METRICS_URL={metrics_url}");
            if let Some(keys) = &started.demo {
                println!("QUINCER_DEMO_URL=http://{local}/demo/");
                println!("QUINCER_ORG_ID={}", keys.org_id);
                println!("QUINCER_WIDGET_ID={}", keys.widget_id);
                println!("QUINCER_WIDGET_KEY={}", keys.widget_key);
                if let Some(agent) = &keys.agent {
                    // The live inbox, signed in as the demo's owner.
                    println!("QUINCER_INBOX_URL=http://{local}/inbox/");
                    println!("QUINCER_AGENT_EMAIL={}", agent.email);
                    println!("QUINCER_AGENT_PASSWORD={}", agent.password);
                }
                // Last: harnesses stop reading at this line (a closed pipe would make a later print fail).
                println!("QUINCER_DEV_KEY={}", keys.dev_key);
            }
            tracing::info!("listening on http://{local}");
            let options = ServeOptions { grace: Duration::from_secs(ops.shutdown_grace_secs), metrics };
            quincer_server::serve_with(listener, started.state, shutdown_signal(), options).await?;
            tracing::info!("stopped");
        }
        Command::Migrate { data, database_url } => {
            let (applied, target) = match database_url {
                Some(url) => {
                    let pool = quincer_server::db::open_postgres(&url, 1).await?;
                    (
                        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM _sqlx_migrations").fetch_one(&pool).await?,
                        "PostgreSQL",
                    )
                }
                None => {
                    let pool = quincer_server::db::open(&data).await?;
                    (
                        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM _sqlx_migrations").fetch_one(&pool).await?,
                        "SQLite",
                    )
                }
            };
            println!("{target} schema up to date: {applied} migrations applied");
        }
        Command::Export { data, to } => {
            let sqlite = quincer_server::db::open_sqlite(&data).await?;
            let postgres = sqlx::postgres::PgPoolOptions::new().max_connections(2).connect(&to).await?;
            let report = quincer_server::export::to_postgres(&sqlite, &postgres).await?;
            for (table, rows) in &report.tables {
                println!("{table}\t{rows}");
            }
            let total: i64 = report.tables.iter().map(|(_, rows)| rows).sum();
            println!("copied {total} rows in {} tables; counts match", report.tables.len());
        }
        Command::Members { command } => members(command).await?,
        Command::Openclaw { command: OpenclawCommand::Connect { org, db } } => {
            let connected = quincer_server::openclaw::connect::connect(&db.open().await?, &org).await?;
            // Machine-readable lines on stdout; the advice on stderr.
            println!("QUINCER_MEMBER_ID={}", connected.member.id);
            println!("QUINCER_API_KEY={}", connected.key);
            eprintln!(
                "{} the OpenClaw team member ({}). Its key is shown only now: put it in ~/.openclaw/openclaw.json \
                 under skills.entries.quincer.env.QUINCER_API_KEY, with the skill from \
                 <this server>/integrations/openclaw/SKILL.md in ~/.openclaw/workspace/skills/quincer/ \
                 (docs/OPENCLAW.md).",
                if connected.created { "Created" } else { "Reused" },
                connected.member.id
            );
        }
        Command::Keys { command: KeysCommand::Create { org, scopes, name, member, data, database_url } } => {
            let db = match &database_url {
                Some(url) => quincer_server::db::connect_postgres(url, 1).await?,
                None => quincer_server::db::open(&data).await?,
            };
            if !quincer_server::store::organizations::exists(&db, &org).await? {
                let place = database_url.map_or_else(|| data.display().to_string(), |_| "the database".into());
                return Err(format!("no organisation `{org}` in {place}").into());
            }
            let scopes: Vec<&str> = scopes.split([',', ' ']).filter(|s| !s.is_empty()).collect();
            provision::validate_scopes(&scopes)?;
            let key = match member {
                Some(member) => provision::create_member_key(&db, &org, &member, &name, &scopes).await?,
                None => provision::create_dev_key(&db, &org, &name, &scopes).await?,
            };
            println!("{key}");
        }
    }
    Ok(())
}

/// `quincer-server members …`.
async fn members(command: MembersCommand) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    use quincer_server::members::Role;
    use quincer_server::store::members as store;
    match command {
        MembersCommand::Create { org, email, name, role, avatar_url, db } => {
            let db = db.open().await?;
            let role = Role::parse(&role)?;
            let input = provision::MemberInput { name, email, avatar_url, role, with_password: true };
            let (member, password) = provision::create_member(&db, &org, input).await?;
            // Machine-readable lines on stdout (tests and scripts read them); the advice on stderr.
            println!("QUINCER_MEMBER_ID={}", member.id);
            println!("QUINCER_MEMBER_PASSWORD={}", password.unwrap_or_default());
            eprintln!(
                "{} ({}) can sign in at /inbox/ with this one-time password; it is shown only now. They should \
                 change it after signing in.",
                member.name, member.email
            );
        }
        MembersCommand::List { org, db } => {
            let db = db.open().await?;
            if !quincer_server::store::organizations::exists(&db, &org).await? {
                return Err(format!("no organisation `{org}`").into());
            }
            for m in store::list(&db, &org, None, i64::MAX).await? {
                let status = if m.disabled_at.is_some() { "disabled" } else { "active" };
                println!("{}\t{}\t{}\t{}\t{status}\t{}", m.id, m.role, m.email, m.name, m.created_at);
            }
        }
        MembersCommand::Disable { id, db } => {
            let db = db.open().await?;
            let member = store::get(&db, None, &id).await?.ok_or_else(|| format!("no team member `{id}`"))?;
            let mut tx = quincer_server::store::begin_write(&db).await?;
            store::set_disabled(&mut *tx, &id, true).await?;
            let ended = store::revoke_sessions(&mut *tx, &id).await?;
            tx.commit().await?;
            println!("disabled {} ({}); {ended} sessions ended", member.id, member.email);
        }
        MembersCommand::Sessions { command: SessionsCommand::Revoke { id, db } } => {
            let db = db.open().await?;
            store::get(&db, None, &id).await?.ok_or_else(|| format!("no team member `{id}`"))?;
            let ended = store::revoke_sessions(&db, &id).await?;
            println!("{ended} sessions of {id} revoked");
        }
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
