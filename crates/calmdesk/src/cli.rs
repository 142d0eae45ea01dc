//! The command line, declared once with clap: flags, environment variables and `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// calmdesk: turn an angry contact into a resolved, documented case and a customer who stays.
#[derive(Debug, Parser)]
#[command(name = "calmdesk", version, about, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command that touches the record accepts, before or after the command name.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB [default: SQLite in the data directory]
    #[arg(
        long,
        global = true,
        env = "CALMDESK_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
    /// Folder for the SQLite database and other state [default: ./data]
    #[arg(long, global = true, env = "CALMDESK_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// A TOML configuration file; flags and environment variables override it
    #[arg(long, global = true, env = "CALMDESK_CONFIG")]
    pub config: Option<PathBuf>,
    /// Log more (-v: debug, -vv: trace); RUST_LOG overrides
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server: the JSON API under /api/v1 and background follow-up jobs
    Serve(ServeArgs),
    /// Manage users and their API tokens
    User(UserArgs),
    /// Import conversations from .eml, mbox, CSV, JSONL or Customer Support on Twitter files
    Import(ImportArgs),
    /// Write every case with its customer and timeline as JSON Lines
    Export(ExportArgs),
    /// Database maintenance
    Db(DbArgs),
    /// Measure speed (results go in docs/benchmarks.md)
    Bench(BenchArgs),
    /// Read a customer's message: heat, emotions, abuse, intents, facts, fault, with evidence
    Analyze(AnalyzeArgs),
    /// Review a draft reply or internal note: findings with spans, checklist, score
    Coach(CoachArgs),
    /// Company rule packs for the coach
    Rules(RulesArgs),
    /// Company return and refund policy: options for a set of facts, and the policy's examples
    Policy(PolicyArgs),
    /// The Plan for a case: stage, next steps, suggested wording, options, escalation
    Plan(PlanArgs),
    /// Read every stored inbound message that the current models have not read
    Reread(RereadArgs),
    /// Rebuild every model from the public data sets (deterministic)
    Train(TrainArgs),
    /// Score the models on the validation splits and print a table
    Eval(EvalArgs),
}

/// Where the public labelled data sets are, relative to the repository root.
pub const DEFAULT_DATA: &str = "../shared/data";

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The message; read from standard input when absent
    pub text: Option<String>,
    /// Print the Reading as JSON
    #[arg(long)]
    pub json: bool,
    /// Read JSON Lines ({"text": ...} per line) from FILE, or standard input with -, and write
    /// one Reading per line in the same order
    #[arg(long, value_name = "FILE|-", conflicts_with = "text")]
    pub jsonl: Option<String>,
    /// Threads for --jsonl [default: every core]
    #[arg(long)]
    pub threads: Option<usize>,
    /// Use the models in this folder instead of the embedded ones
    #[arg(long)]
    pub models: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CoachArgs {
    /// The draft; read from --file or standard input when absent
    pub draft: Option<String>,
    /// Read the draft from this file
    #[arg(long, conflicts_with = "draft")]
    pub file: Option<PathBuf>,
    /// The conversation so far: JSON {"conversation": [{"role": "customer|agent", "text": ...}]}
    #[arg(long)]
    pub context: Option<PathBuf>,
    /// reply (the customer reads it) or note (internal)
    #[arg(long, default_value = "reply")]
    pub kind: String,
    /// Print the Review as JSON
    #[arg(long)]
    pub json: bool,
    /// Read JSON Lines ({"conversation": [...], "draft": ..., "kind": "reply|note"}) from FILE,
    /// or standard input with -, and write one Review per line
    #[arg(long, value_name = "FILE|-", conflicts_with_all = ["draft", "file"])]
    pub jsonl: Option<String>,
    /// A folder of company rule packs (TOML) applied after the default pack
    #[arg(long, env = "CALMDESK_PACKS")]
    pub packs: Option<PathBuf>,
    /// Use the models in this folder instead of the embedded ones
    #[arg(long)]
    pub models: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// Run every rule's examples: the default pack, or the packs in DIR; exit 2 on a failure
    Test { dir: Option<PathBuf> },
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// A case as `calmdesk export` writes it (one line of its output), or a conversation file
    /// {"messages": [{"direction": "inbound|outbound|note", "text": ...}], ...}
    pub case: PathBuf,
    /// Print the Plan as JSON
    #[arg(long)]
    pub json: bool,
    /// The company policy file [default: the shipped policies/default.toml]
    #[arg(long, env = "CALMDESK_POLICY")]
    pub policy: Option<PathBuf>,
    /// The date to plan for (YYYY-MM-DD) [default: today]
    #[arg(long)]
    pub today: Option<String>,
    /// Use the models in this folder instead of the embedded ones
    #[arg(long)]
    pub models: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PolicyArgs {
    #[command(subcommand)]
    pub command: PolicyCommand,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// The options the policy allows for the facts, ranked, with a trace of every rule
    Options {
        /// The policy file (TOML), for example policies/default.toml
        #[arg(long)]
        policy: PathBuf,
        /// The facts (JSON): today, request, reason, customer, order, ...
        #[arg(long)]
        facts: PathBuf,
        /// Print {"options": [...], "questions": [...], "trace": [...]} as JSON
        #[arg(long)]
        json: bool,
    },
    /// Run the examples written in a policy file; exit 2 when one fails
    Test { file: PathBuf },
}

#[derive(Debug, Args)]
pub struct RereadArgs {
    /// Use the models in this folder instead of the embedded ones
    #[arg(long)]
    pub models: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// The folder of public data sets
    #[arg(long, default_value = DEFAULT_DATA, env = "CALMDESK_TRAINING_DATA")]
    pub data: PathBuf,
    /// Where to write the models and their cards
    #[arg(long, default_value = "models")]
    pub out: PathBuf,
    /// Train only these models (repeatable); all when absent
    #[arg(long)]
    pub task: Vec<String>,
    /// Instead of training, write each task's train and validation rows as JSON Lines here
    #[arg(long)]
    pub dump_splits: Option<PathBuf>,
    /// Override the recipe's passes over the data (for experiments)
    #[arg(long)]
    pub epochs: Option<u32>,
    /// Override the recipe's learning rate (for experiments)
    #[arg(long)]
    pub learning_rate: Option<f32>,
    /// Override the recipe's hash buckets, as a power of two (for experiments)
    #[arg(long)]
    pub buckets_log2: Option<u8>,
    /// Override the recipe's L2 penalty (for experiments)
    #[arg(long)]
    pub l2: Option<f32>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The folder of public data sets
    #[arg(long, default_value = DEFAULT_DATA, env = "CALMDESK_TRAINING_DATA")]
    pub data: PathBuf,
    /// Score the models in this folder instead of the embedded ones
    #[arg(long)]
    pub models: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port
    #[arg(long, env = "CALMDESK_ADDR")]
    pub addr: Option<String>,
    /// Load the demo cases and print a demo admin token
    #[arg(long)]
    pub demo: bool,
    /// Name of this instance in job records [default: calmdesk-PID]
    #[arg(long, env = "CALMDESK_INSTANCE")]
    pub instance: Option<String>,
    /// Seconds between checks for due follow-ups
    #[arg(long, env = "CALMDESK_JOB_INTERVAL")]
    pub job_interval: Option<f64>,
    /// Read messages with the models in this folder instead of the embedded ones
    #[arg(long, env = "CALMDESK_MODELS")]
    pub models: Option<PathBuf>,
    /// A folder of company rule packs (TOML) for the coach
    #[arg(long, env = "CALMDESK_PACKS")]
    pub packs: Option<PathBuf>,
    /// The company policy file for plans [default: the shipped policies/default.toml]
    #[arg(long, env = "CALMDESK_POLICY")]
    pub policy: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user; their new API token is the last line printed
    Add {
        /// Letters, digits, dots, dashes or underscores
        name: String,
        /// agent, manager or admin
        #[arg(long, default_value = "agent")]
        role: String,
    },
    /// List users
    List,
    /// Make another API token for a user; it is the last line printed
    Token { name: String },
    /// Change a user's role
    Role {
        name: String,
        /// agent, manager or admin
        role: String,
    },
    /// Disable a user and revoke their tokens
    Disable { name: String },
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files to import (.eml, .mbox, .csv, .jsonl, or twcs .csv)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Read every file as this format instead of detecting it: eml, mbox, csv, jsonl, twcs
    #[arg(long)]
    pub format: Option<String>,
    /// The company policy whose escalation rules imported cases are checked against
    /// [default: the shipped policies/default.toml]
    #[arg(long)]
    pub policy: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write to this file instead of standard output
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Export only this case
    #[arg(long)]
    pub case: Option<i64>,
}

#[derive(Debug, Args)]
pub struct DbArgs {
    #[command(subcommand)]
    pub command: DbCommand,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Apply the migrations the database does not have yet
    Migrate,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub command: BenchCommand,
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Case-create and message-add throughput, and queue-list latency at scale
    Desk {
        /// Cases to create in the throughput run
        #[arg(long, default_value_t = 2000)]
        cases: usize,
        /// Messages to add in the throughput run
        #[arg(long, default_value_t = 5000)]
        messages: usize,
        /// Requests in flight at once
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Cases in the database when list latency is measured
        #[arg(long, default_value_t = 100_000)]
        list_cases: usize,
        /// Also measure on a new database made on this PostgreSQL server
        #[arg(long, env = "CALMDESK_BENCH_POSTGRES_URL")]
        postgres_url: Option<String>,
    },
    /// Coach latency (p50, p99) for a 1,500-character draft after a 10-message conversation
    Coach {
        /// Reviews to time
        #[arg(long, default_value_t = 2000)]
        reviews: usize,
    },
    /// Plan latency (p50, p99) and plans per second for a 20-message case
    Plan {
        /// Plans to time
        #[arg(long, default_value_t = 2000)]
        plans: usize,
    },
    /// Reading throughput in process and through `analyze --jsonl`, start-up, peak memory,
    /// and VADER on the same texts when it is installed
    Reading {
        /// Messages to read
        #[arg(long, default_value_t = 100_000)]
        messages: usize,
        /// JSON Lines of {"text": ...} to draw messages from (repeated to the count)
        /// [default: TweetEval's validation tweets from the training data, else built-in texts]
        #[arg(long)]
        input: Option<PathBuf>,
        /// The folder of public data sets
        #[arg(long, default_value = DEFAULT_DATA)]
        data: PathBuf,
        /// How many times `analyze --jsonl` runs on one and on two threads, in turn; the
        /// medians are printed, which a shared, noisy machine needs
        #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=50))]
        pairs: u32,
    },
}
