//! The feed's order and timing, without HTTP.
