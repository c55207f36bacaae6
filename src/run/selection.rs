//! Which scenarios a run selects: the tag expression (with a hint for a word without
//! `@`), the scenarios to rerun and the shard ([`super::subset`]), the applicability
//! filter, and why a selection matched nothing.

use std::collections::BTreeSet;
use std::path::PathBuf;

use cucumber::gherkin;
use cucumber::gherkin::tagexpr::TagOperation;
use cucumber::tag::Ext as _;
use kofu_fixtures::Municipality;

use super::subset::Shard;
use super::{RunError, RunOptions};
use crate::additions::Additions;
use crate::report::collector::Results;
use crate::report::result::relative_uri;
use crate::report::{ScenarioResult, Verdict};

/// What narrows the selection beyond tags and additions.
#[derive(Debug, Clone, Default)]
pub(super) struct Narrowing {
    /// Only these `(feature file, line)` (`--rerun-failed`).
    pub only: Option<BTreeSet<(String, usize)>>,
    /// Only this shard (`--shard K/N`).
    pub shard: Option<Shard>,
}

/// Every scenario of a feature, with all its tags (feature, rule, scenario).
fn scenarios_of(feature: &gherkin::Feature) -> Vec<(&gherkin::Scenario, Vec<String>)> {
    let own = feature.scenarios.iter().map(|s| (s, None));
    let ruled = feature
        .rules
        .iter()
        .flat_map(|r| r.scenarios.iter().map(move |s| (s, Some(r))));
    own.chain(ruled)
        .map(|(s, rule)| (s, all_tags(feature, rule, s)))
        .collect()
}

fn all_tags(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
) -> Vec<String> {
    feature
        .tags
        .iter()
        .chain(rule.iter().flat_map(|r| r.tags.iter()))
        .chain(scenario.tags.iter())
        .cloned()
        .collect()
}

/// Parse a tag expression; a word without `@` gets a hint.
pub fn parse_tags(expr: &str) -> Result<cucumber::gherkin::tagexpr::TagOperation, RunError> {
    let missing_at: Vec<&str> = expr
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|w| !w.is_empty() && !w.starts_with('@'))
        .filter(|w| !matches!(*w, "and" | "or" | "not"))
        .collect();
    let hint = (!missing_at.is_empty()).then(|| {
        let fixed: Vec<String> = missing_at.iter().map(|w| format!("@{w}")).collect();
        format!("tags start with @: did you mean {}?", fixed.join(", "))
    });
    match expr.parse::<cucumber::gherkin::tagexpr::TagOperation>() {
        Ok(op) if hint.is_none() => Ok(op),
        _ => Err(RunError::Tags {
            expr: expr.to_owned(),
            hint,
        }),
    }
}

/// The filter of the scenarios to run: the tag selection, the operator additions'
/// selection, and applicability to the candidate's claims. A scenario ruled out for
/// applicability, or whose feature is broken, is recorded as final in `results`; one
/// selected to run is recorded for the collector to fill in.
pub(super) fn scenario_filter(
    tags: Option<TagOperation>,
    claims: Vec<Municipality>,
    additions: Additions,
    filter_results: Results,
    features_root: PathBuf,
    restart_unavailable: Option<String>,
    narrowing: Narrowing,
) -> impl Fn(&gherkin::Feature, Option<&gherkin::Rule>, &gherkin::Scenario) -> bool + 'static {
    move |feature: &cucumber::gherkin::Feature,
          rule: Option<&cucumber::gherkin::Rule>,
          scenario: &cucumber::gherkin::Scenario| {
        let all_tags = all_tags(feature, rule, scenario);
        let Ok(mut r) = filter_results.lock() else {
            return false;
        };
        r.tags_seen.extend(all_tags.iter().cloned());
        let uri = feature
            .path
            .as_deref()
            .map(|p| relative_uri(p, &features_root))
            .unwrap_or_default();
        // Selected before sharding: the tags, the additions, the scenarios to rerun.
        let selected = |tags_of: &[String], line: usize| {
            tags.as_ref().is_none_or(|expr| expr.eval(tags_of.iter()))
                && additions.select(tags_of) != crate::additions::Selection::Excluded
                && narrowing
                    .only
                    .as_ref()
                    .is_none_or(|only| only.contains(&(uri.clone(), line)))
        };
        let line = scenario.position.line;
        if !selected(&all_tags, line) {
            return false;
        }
        if let Some(shard) = &narrowing.shard {
            let mut lines: Vec<usize> = scenarios_of(feature)
                .into_iter()
                .filter(|(s, t)| selected(t, s.position.line))
                .map(|(s, _)| s.position.line)
                .collect();
            lines.sort_unstable();
            lines.dedup();
            let position = lines.iter().position(|l| *l == line).unwrap_or(0);
            if !shard.holds(&uri, position) {
                r.elsewhere.insert(format!("{uri}:{line}"));
                return false;
            }
        }
        let restart = restart_unavailable
            .as_ref()
            .filter(|_| all_tags.iter().any(|t| t == "requires-restart"))
            .map(|why| format!("the candidate cannot be restarted: {why} (@requires-restart)"));
        let applicability =
            crate::applicability::not_applicable(&all_tags, &claims).map(|reason| {
                reason
                    .or(restart)
                    .or_else(|| additions.not_applicable(&all_tags, &claims))
            });
        let (verdict, message) = match applicability {
            Ok(None) => {
                let result = ScenarioResult::new(
                    feature,
                    rule,
                    scenario,
                    &features_root,
                    Verdict::Passed,
                    None,
                );
                r.push_selected(feature.path.clone(), result);
                return true;
            }
            Ok(Some(reason)) => (Verdict::Skipped, format!("not applicable: {reason}")),
            Err(broken) => (Verdict::Error, format!("feature error: {broken}")),
        };
        r.push_final(ScenarioResult::new(
            feature,
            rule,
            scenario,
            &features_root,
            verdict,
            Some(message),
        ));
        false
    }
}

/// Why a selection matched nothing: the shard that got none of it (`elsewhere` holds
/// what the other shards got), the rerun that found none of its scenarios, the tags of
/// the expression that no scenario carries, and a phase folder that has no scenario yet.
pub(super) fn no_match_reason(
    options: &RunOptions,
    tags_seen: &BTreeSet<String>,
    elsewhere: &BTreeSet<String>,
) -> String {
    if let Some(shard) = options.shard.filter(|_| !elsewhere.is_empty()) {
        return format!(
            "shard {shard} holds none of the {} selected scenarios: no scenario ran",
            elsewhere.len()
        );
    }
    if let Some(dir) = &options.rerun_failed {
        return format!(
            "no scenario that failed in {} is in the selection: no scenario ran",
            dir.display()
        );
    }
    let Some(expr) = &options.tags else {
        return format!(
            "no scenario under {} matches: no scenario ran",
            options.features.display()
        );
    };
    let mut unknown = Vec::new();
    for word in expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')') {
        let Some(tag) = word.strip_prefix('@') else {
            continue;
        };
        if tags_seen.contains(tag) {
            continue;
        }
        let mut note = format!("@{tag} is on no scenario");
        if let Some(phase) = tag.strip_prefix("phase-") {
            let folder = std::fs::read_dir(&options.features)
                .ok()
                .and_then(|entries| {
                    entries
                        .flatten()
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .find(|name| name.split_once('-').is_some_and(|(_, rest)| rest == phase))
                });
            if let Some(folder) = folder {
                note.push_str(&format!(" (features/{folder} has no scenario yet)"));
            }
        }
        unknown.push(note);
    }
    if unknown.is_empty() {
        format!("the tag selection `{expr}` matches no scenario: no scenario ran")
    } else {
        format!(
            "the tag selection `{expr}` matches no scenario: {}",
            unknown.join("; ")
        )
    }
}
