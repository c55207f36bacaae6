//! Helpers shared by the profile's integration tests.

#![allow(dead_code)]

pub mod samples;

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// Whether `python3` can import every module in `modules`; `Err` says why not.
pub fn python_modules(modules: &[&str]) -> Result<(), String> {
    let script = modules
        .iter()
        .map(|m| format!("import {m}"))
        .collect::<Vec<_>>()
        .join("; ");
    match Command::new("python3").args(["-c", &script]).output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(String::from_utf8_lossy(&out.stderr).trim().to_owned()),
        Err(e) => Err(format!("python3: {e}")),
    }
}

/// Check that the Python validator is installed. Returns `false` (after printing the
/// skip line) when it is not, and panics instead when env `CI` is set: on CI a missing
/// validator is a failure, never a skip.
pub fn validator_installed() -> bool {
    match python_modules(&["openapi_spec_validator", "jsonschema"]) {
        Ok(()) => true,
        Err(why) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "openapi-spec-validator not installed, and CI is set: install it with \
                 `python3 -m pip install openapi-spec-validator` ({why})"
            );
            // Written to the process's stderr directly, so that the line shows even
            // when the test harness captures output.
            let _ = writeln!(
                std::io::stderr().lock(),
                "openapi-spec-validator not installed: skipped \
                 (install with `python3 -m pip install openapi-spec-validator`)"
            );
            false
        }
    }
}

const JSONSCHEMA_SCRIPT: &str = r##"
import json, sys
from jsonschema import Draft202012Validator, FormatChecker
data = json.load(sys.stdin)
errors = []
for item in data["instances"]:
    schema = {"components": {"schemas": data["schemas"]}, "$ref": "#/components/schemas/" + item["schema"]}
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    for e in validator.iter_errors(item["value"]):
        errors.append("%s (%s): %s at /%s" % (item["label"], item["schema"], e.message, "/".join(str(p) for p in e.absolute_path)))
print("\n".join(errors))
sys.exit(1 if errors else 0)
"##;

/// Validate `(label, schema name, value)` triples against `schemas` (the generated
/// `components.schemas`) with Python's `jsonschema` (draft 2020-12, formats checked).
pub fn validate_with_jsonschema(
    schemas: &Value,
    instances: &[(String, String, Value)],
) -> Result<(), String> {
    let input = json!({
        "schemas": schemas,
        "instances": instances
            .iter()
            .map(|(label, schema, value)| json!({"label": label, "schema": schema, "value": value}))
            .collect::<Vec<_>>(),
    });
    let mut child = Command::new("python3")
        .args(["-c", JSONSCHEMA_SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("python3: {e}"))?;
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.to_string().as_bytes())
        .map_err(|e| format!("write to python3: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("python3: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}
