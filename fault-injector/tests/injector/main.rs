//! The injector on real loopback sockets, between a reqwest center and a tiny hyper
//! candidate that records what reached it.

#![allow(missing_docs)]

mod faults;
mod hold;
mod pass_through;
mod support;
mod tls;
