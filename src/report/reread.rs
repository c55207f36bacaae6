//! A run's scenario details read back from its `cucumber.json` (`summary.json` holds
//! the verdicts, not the steps), for `kofu report merge`: the feature, the background,
//! every step with its status, duration and error, the scenario's own tags and
//! description. A scenario's duration is the sum of its steps'.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::result::{FeatureInfo, ScenarioDetail};
use super::{ScenarioResult, StepResult, StepStatus, Verdict};

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn line(v: &Value) -> usize {
    v.as_u64()
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(1)
}

fn tags(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|tags| {
            tags.iter()
                .filter_map(|t| t["name"].as_str())
                .map(|t| t.trim_start_matches('@').to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn step(v: &Value) -> StepResult {
    let status = match v["result"]["status"].as_str() {
        Some("passed") => StepStatus::Passed,
        Some("failed") => StepStatus::Failed,
        Some("undefined") => StepStatus::Undefined,
        _ => StepStatus::Skipped,
    };
    StepResult {
        keyword: text(&v["keyword"]).trim().to_owned(),
        text: text(&v["name"]),
        line: line(&v["line"]),
        status,
        duration_ns: v["result"]["duration"].as_u64(),
        error: v["result"]["error_message"].as_str().map(str::to_owned),
        docstring: v["doc_string"]["value"].as_str().map(str::to_owned),
        table: v["rows"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .map(|r| {
                        r["cells"]
                            .as_array()
                            .map(|c| c.iter().map(text).collect())
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .unwrap_or_default(),
        started: None,
    }
}

fn steps(v: &Value) -> Vec<StepResult> {
    v.as_array()
        .map(|s| s.iter().map(step).collect())
        .unwrap_or_default()
}

/// Fill in the [`ScenarioDetail`] of every scenario from the run's `cucumber.json`,
/// matched by scenario id; the feature file under `features_root` gives the tag lines.
pub fn restore_details(scenarios: &mut [ScenarioResult], cucumber: &Value, features_root: &Path) {
    let mut details: HashMap<String, ScenarioDetail> = HashMap::new();
    for feature in cucumber.as_array().into_iter().flatten() {
        let uri = text(&feature["uri"]);
        let source = features_root.join(&uri);
        let info = Arc::new(FeatureInfo {
            uri: uri.clone(),
            keyword: text(&feature["keyword"]),
            name: text(&feature["name"]),
            description: text(&feature["description"]),
            line: line(&feature["line"]),
            tags: tags(&feature["tags"]),
            source: source.is_file().then_some(source),
        });
        let mut background: Option<&Value> = None;
        for element in feature["elements"].as_array().into_iter().flatten() {
            if element["type"] == "background" {
                background = Some(element);
                continue;
            }
            let id = text(&element["id"]);
            let outline_row = id
                .rsplit_once(";;row-")
                .and_then(|(_, n)| n.split('-').next()?.parse().ok());
            let mut detail = ScenarioDetail {
                feature: info.clone(),
                keyword: text(&element["keyword"]),
                description: text(&element["description"]),
                own_tags: tags(&element["tags"]),
                outline_row,
                background: background.map(|b| (text(&b["keyword"]), line(&b["line"]))),
                background_steps: background.map(|b| steps(&b["steps"])).unwrap_or_default(),
                steps: steps(&element["steps"]),
                started: None,
                duration_ns: None,
            };
            background = None;
            let total: u64 = detail
                .background_steps
                .iter()
                .chain(detail.steps.iter())
                .filter_map(|s| s.duration_ns)
                .sum();
            detail.duration_ns = Some(total);
            details.insert(id, detail);
        }
    }
    for s in scenarios {
        let Some(mut detail) = details.remove(&s.id) else {
            continue;
        };
        // The waiver's note was added to the description by the report: not the feature's.
        if let (Verdict::Waived, Some(w)) = (s.verdict, &s.waiver) {
            let note = w.note();
            if let Some(rest) = detail.description.strip_suffix(&note) {
                detail.description = rest.trim_end_matches('\n').to_owned();
            }
        }
        s.detail = detail;
    }
}
