//! `calmdesk bench`: speed measurements whose figures go in docs/benchmarks.md.
//!
//! The desk benchmark never touches the configured record: it makes a new SQLite file in a
//! temporary folder (and, when asked, a new PostgreSQL database), drives the same store API the
//! server uses, and prints a Markdown table.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use calmdesk_desk::domain::*;
use calmdesk_desk::{testing, Store};

use crate::cli::{BenchArgs, BenchCommand};
use crate::config::Config;

/// How many times each list query runs.
const LIST_RUNS: usize = 200;

pub async fn run(_config: &Config, args: BenchArgs) -> anyhow::Result<()> {
    match args.command {
        BenchCommand::Desk {
            cases,
            messages,
            concurrency,
            list_cases,
            postgres_url,
        } => {
            let plan = DeskPlan {
                cases,
                messages,
                concurrency: concurrency.max(1),
                list_cases,
            };
            println!("| engine | measure | result |");
            println!("|---|---|---|");
            let sqlite = testing::sqlite();
            bench_desk("sqlite", &sqlite.url, &plan).await?;
            if let Some(base) = postgres_url {
                let db = testing::postgres_at(&base)
                    .await
                    .context("cannot make a benchmark database on PostgreSQL")?;
                bench_desk("postgres", &db.url, &plan).await?;
            }
        }
        BenchCommand::Coach { reviews } => super::bench_coach::run(reviews)?,
        BenchCommand::Plan { plans } => super::bench_plan::run(plans)?,
        BenchCommand::Reading {
            messages,
            input,
            data,
            pairs,
        } => super::bench_reading::run(messages, input, &data, pairs as usize)?,
    }
    Ok(())
}

struct DeskPlan {
    cases: usize,
    messages: usize,
    concurrency: usize,
    list_cases: usize,
}

fn case_input(i: usize) -> NewCase {
    NewCase {
        customer: NewCustomer {
            name: format!("Customer {i}"),
            email: Some(format!("customer{}@example.com", i % 500)),
            handle: None,
        },
        subject: format!("Order #{i} arrived late"),
        channel: "email".into(),
        message: FirstMessage {
            text: "My order is two weeks late and nobody answers. This is the third time I write."
                .into(),
            ..FirstMessage::default()
        },
        ..NewCase::default()
    }
}

/// Runs `total` operations from `concurrency` tasks; returns operations per second.
async fn throughput<F, Fut>(total: usize, concurrency: usize, op: F) -> anyhow::Result<f64>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let op = Arc::new(op);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let next = next.clone();
        let op = op.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    return Ok::<(), anyhow::Error>(());
                }
                op(i).await?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn bench_desk(engine: &str, url: &str, plan: &DeskPlan) -> anyhow::Result<()> {
    let store = Store::connect(url).await?;
    let actor = Actor::system("bench");
    let agent = store
        .add_user("bench-agent", Role::Agent, &actor)
        .await?
        .user;
    let manager = store
        .add_user("bench-manager", Role::Manager, &actor)
        .await?
        .user;

    let s = store.clone();
    let a = actor.clone();
    let rate = throughput(plan.cases, plan.concurrency, move |i| {
        let (s, a) = (s.clone(), a.clone());
        async move {
            s.create_case(&case_input(i), &a).await?;
            Ok(())
        }
    })
    .await?;
    println!(
        "| {engine} | case create ({} cases, {} in flight) | {rate:.0} cases/s |",
        plan.cases, plan.concurrency
    );

    let created = plan.cases.max(1) as i64;
    let s = store.clone();
    let a = actor.clone();
    let rate = throughput(plan.messages, plan.concurrency, move |i| {
        let (s, a) = (s.clone(), a.clone());
        async move {
            let message = NewMessage {
                direction: if i % 2 == 0 {
                    Direction::Inbound
                } else {
                    Direction::Outbound
                },
                text: "Thank you for your patience; the replacement ships today.".into(),
                author: None,
                channel: None,
                external_id: None,
                at: None,
            };
            s.add_message(1 + (i as i64 % created), &message, &a)
                .await?;
            Ok(())
        }
    })
    .await?;
    println!(
        "| {engine} | message add ({} messages, {} in flight) | {rate:.0} messages/s |",
        plan.messages, plan.concurrency
    );

    let have = store.count_cases().await? as usize;
    let started = Instant::now();
    if plan.list_cases > have {
        store
            .seed_cases(plan.list_cases - have, 10_000, &[agent.id, manager.id])
            .await?;
    }
    let total = store.count_cases().await?;
    println!(
        "| {engine} | seeding to {total} cases | {:.1} s |",
        started.elapsed().as_secs_f64()
    );
    let deep_cursor = total / 2;
    let queries: Vec<(&str, CaseFilter)> = vec![
        (
            "newest 50",
            CaseFilter {
                limit: 50,
                ..CaseFilter::default()
            },
        ),
        (
            "status=open",
            CaseFilter {
                status: Some(CaseStatus::Open),
                limit: 50,
                ..CaseFilter::default()
            },
        ),
        (
            "assignee",
            CaseFilter {
                assignee_id: Some(manager.id),
                limit: 50,
                ..CaseFilter::default()
            },
        ),
        (
            "escalated=true",
            CaseFilter {
                escalated: Some(true),
                limit: 50,
                ..CaseFilter::default()
            },
        ),
        (
            "customer",
            CaseFilter {
                customer_id: Some(3),
                limit: 50,
                ..CaseFilter::default()
            },
        ),
        (
            "status+assignee, deep cursor",
            CaseFilter {
                status: Some(CaseStatus::Escalated),
                assignee_id: Some(agent.id),
                before_id: Some(deep_cursor),
                limit: 50,
                ..CaseFilter::default()
            },
        ),
    ];
    for (name, filter) in queries {
        let mut times = Vec::with_capacity(LIST_RUNS);
        for _ in 0..LIST_RUNS {
            let t = Instant::now();
            let page = store.list_cases(&filter).await?;
            times.push(t.elapsed());
            std::hint::black_box(page);
        }
        times.sort();
        println!(
            "| {engine} | list page of 50, {name}, at {total} cases | p50 {:.2} ms, p99 {:.2} ms |",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }
    store.close().await;
    Ok(())
}
