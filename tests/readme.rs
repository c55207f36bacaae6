//! The README's defect table stays complete: every defect switch is listed with the
//! scenarios that catch it.

#[test]
fn readme_lists_every_defect() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let missing: Vec<&str> = kofu_reference_server::Defect::ALL
        .iter()
        .map(|d| d.name())
        .filter(|name| !readme.contains(&format!("`{name}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's defect table lacks: {missing:?}"
    );
}
