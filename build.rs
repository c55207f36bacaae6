//! Rebuild when a feature or fixture file changes: `include_dir!` (see
//! `src/built_in.rs`) cannot tell cargo on a stable toolchain which files it read.

fn main() {
    println!("cargo:rerun-if-changed=features");
    println!("cargo:rerun-if-changed=fixtures");
    println!("cargo:rerun-if-changed=build.rs");
}
