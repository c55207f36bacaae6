//! `cucumber.json`: the Cucumber JSON format as its consumers read it (cucumber-ruby and
//! cucumber-js output; schemas in cucumber/cucumber-json-schema): one object per feature
//! with `uri` (relative to the features folder), `id`, `keyword`, `name`, `line`, tags
//! with `@` and their line; in `elements`, a scenario's background as its own element of
//! `type: "background"` right before the scenario, then the scenario (`type:
//! "scenario"`, a run-unique `id`); steps with keyword, name, line and a result (status,
//! duration in nanoseconds, error message).
//!
//! A scenario that is not a pass without a failed step (a failed hook, a recorded
//! snapshot, the run deadline, a broken feature) carries a failed `before` or `after`
//! hook with the reason, so that a consumer counting failed steps and hooks counts the
//! same failures as `summary.json`.
//!
//! A waived failure keeps its failed step (what happened is not rewritten); the waiver
//! is added to the scenario's `description` as a last line `waived: reason (owner, until
//! YYYY-MM-DD)`, so that a consumer counting failed steps counts it among the failures
//! and a reader sees why the run still passed. A stale waiver is a scenario of a
//! `kofu-waivers` feature with a failed `before` hook naming it.

use std::collections::HashMap;
use std::path::PathBuf;

use serde_json::{Value, json};

use super::{ScenarioResult, StepResult, StepStatus, Summary, Verdict};

/// Lines of the tags written above `line` (the tag lines right above a keyword).
fn tag_lines(source: &[&str], keyword_line: usize, tags: &[String]) -> Vec<Value> {
    tags.iter()
        .map(|tag| {
            let at = format!("@{tag}");
            let found = (1..keyword_line).rev().take(20).find(|&l| {
                source
                    .get(l - 1)
                    .is_some_and(|text| text.split_whitespace().any(|w| w == at))
            });
            json!({ "name": at, "line": found.unwrap_or(keyword_line.saturating_sub(1).max(1)) })
        })
        .collect()
}

fn step_json(step: &StepResult) -> Value {
    let status = match step.status {
        StepStatus::Passed => "passed",
        StepStatus::Failed => "failed",
        StepStatus::Skipped => "skipped",
        StepStatus::Undefined => "undefined",
    };
    let mut result = json!({ "status": status });
    if let Some(d) = step.duration_ns {
        result["duration"] = json!(d);
    }
    if let Some(e) = &step.error {
        result["error_message"] = json!(e);
    }
    let mut value = json!({
        "keyword": format!("{} ", step.keyword),
        "name": step.text,
        "line": step.line,
        "result": result,
    });
    if let Some(doc) = &step.docstring {
        value["doc_string"] = json!({ "value": doc, "line": step.line + 1 });
    }
    if !step.table.is_empty() {
        value["rows"] = step
            .table
            .iter()
            .map(|cells| json!({ "cells": cells }))
            .collect();
    }
    value
}

fn hook(location: &str, message: &str) -> Value {
    json!([{
        "match": { "location": location },
        "result": { "status": "failed", "duration": 0, "error_message": message },
    }])
}

fn elements(s: &ScenarioResult, source: &[&str]) -> Vec<Value> {
    let mut out = Vec::new();
    if let Some((keyword, line)) = &s.detail.background {
        out.push(json!({
            "type": "background",
            "keyword": keyword,
            "name": "",
            "description": "",
            "line": line,
            "steps": s.detail.background_steps.iter().map(step_json).collect::<Vec<_>>(),
        }));
    }
    let mut scenario = json!({
        "type": "scenario",
        "id": s.id,
        "keyword": s.detail.keyword,
        "name": s.scenario,
        "description": description(s),
        "line": s.line,
        "tags": tag_lines(source, s.line, &s.tags),
        "steps": s.detail.steps.iter().map(step_json).collect::<Vec<_>>(),
    });
    let step_failed = s
        .all_steps()
        .any(|st| matches!(st.status, StepStatus::Failed | StepStatus::Undefined));
    let message = s.message.as_deref().unwrap_or("not a pass");
    match s.verdict {
        Verdict::Error => scenario["before"] = hook("kofu: feature check", message),
        Verdict::Failed if !step_failed => scenario["after"] = hook("kofu: run", message),
        Verdict::Recorded => scenario["after"] = hook("kofu: snapshot review", message),
        _ => {}
    }
    out.push(scenario);
    out
}

/// The scenario's description, with the waiver's note as a last line when it is waived.
fn description(s: &ScenarioResult) -> String {
    match (&s.waiver, s.verdict) {
        (Some(w), Verdict::Waived) if s.detail.description.trim().is_empty() => w.note(),
        (Some(w), Verdict::Waived) => {
            format!("{}\n{}", s.detail.description.trim_end(), w.note())
        }
        _ => s.detail.description.clone(),
    }
}

/// The Cucumber JSON document of a run.
pub fn render(summary: &Summary) -> Value {
    let mut features: Vec<(String, Vec<&ScenarioResult>)> = Vec::new();
    for s in &summary.scenarios {
        match features.last_mut() {
            Some((uri, list)) if *uri == s.feature => list.push(s),
            _ => features.push((s.feature.clone(), vec![s])),
        }
    }
    let mut sources: HashMap<PathBuf, String> = HashMap::new();
    let mut docs: Vec<Value> = features
        .iter()
        .map(|(uri, scenarios)| {
            let info = &scenarios[0].detail.feature;
            let text = info
                .source
                .as_ref()
                .map(|p| {
                    sources
                        .entry(p.clone())
                        .or_insert_with(|| std::fs::read_to_string(p).unwrap_or_default())
                        .clone()
                })
                .unwrap_or_default();
            let source: Vec<&str> = text.lines().collect();
            let feature_id = scenarios[0]
                .id
                .split(';')
                .next()
                .unwrap_or_default()
                .to_owned();
            json!({
                "uri": uri,
                "id": feature_id,
                "keyword": info.keyword,
                "name": info.name,
                "description": info.description,
                "line": info.line,
                "tags": tag_lines(&source, info.line, &info.tags),
                "elements": scenarios
                    .iter()
                    .flat_map(|s| {
                        // The scenario's tags include the feature's: keep its own here.
                        let mut own = (*s).clone();
                        own.tags = s.detail.own_tags.clone();
                        elements(&own, &source)
                    })
                    .collect::<Vec<_>>(),
            })
        })
        .collect();
    if !summary.stale_waivers.is_empty() {
        let elements: Vec<Value> = summary
            .stale_waivers
            .iter()
            .enumerate()
            .map(|(i, stale)| {
                json!({
                    "type": "scenario",
                    "id": format!("kofu-waivers;waiver-{}", i + 1),
                    "keyword": "Scenario",
                    "name": format!("waiver {}", stale.waiver.scenario),
                    "description": "",
                    "line": 1,
                    "tags": [],
                    "steps": [],
                    "before": hook("kofu: waivers", &stale.message()),
                })
            })
            .collect();
        docs.push(json!({
            "uri": "kofu-waivers",
            "id": "kofu-waivers",
            "keyword": "Feature",
            "name": "kofu waivers",
            "description": "",
            "line": 1,
            "tags": [],
            "elements": elements,
        }));
    }
    if summary.status == super::RunStatus::SetupError {
        // The run never started: one scenario with a failed hook says why, as in
        // junit.xml, so that every consumer counts the same error.
        let reason = summary.reason.as_deref().unwrap_or("setup error");
        docs.push(json!({
            "uri": "kofu-setup",
            "id": "kofu-setup",
            "keyword": "Feature",
            "name": "kofu run setup",
            "description": "",
            "line": 1,
            "tags": [],
            "elements": [{
                "type": "scenario",
                "id": "kofu-setup;run-setup",
                "keyword": "Scenario",
                "name": "run setup",
                "description": "",
                "line": 1,
                "tags": [],
                "steps": [],
                "before": hook("kofu: run setup", reason),
            }],
        }));
    }
    Value::Array(docs)
}
