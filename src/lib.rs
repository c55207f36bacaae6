//! kofu
