//! 異常系試験 steps: faults between the center and the candidate, armed per scenario on
//! the scenario's own network ([`crate::rig::faulty`]): lost, cut, reset and late
//! answers, refused connections, a slow line; and what must hold after them
//! ([`outcomes`]). Every step that judges writes the injector's timeline into the
//! scenario's evidence (`fault-timeline.txt`, `fault-timeline.json`).

pub mod busy;
pub mod latency;
pub mod outcomes;
pub mod restart;

use std::str::FromStr;
use std::time::Duration;

use cucumber::{given, when};
use kofu_fault_injector::{Fault, Match, Rule};

use crate::rig::faulty::{FAULTS_WAIT, FaultyNetwork};
use crate::steps::params::ParamError;
use crate::world::KofuWorld;

/// `{exchange}`: which call of the profile a fault hits (交付要求, 印刷結果の報告,
/// 利用登録申請), by the end of its path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, cucumber::Parameter)]
#[param(name = "exchange", regex = "交付要求|印刷結果の報告|利用登録申請")]
pub struct Exchange(pub &'static str);

impl FromStr for Exchange {
    type Err = ParamError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "交付要求" => Ok(Self("/issuances")),
            "印刷結果の報告" => Ok(Self("/outcome")),
            "利用登録申請" => Ok(Self("/koseki-registrations")),
            other => Err(ParamError {
                what: "exchange",
                value: other.to_owned(),
            }),
        }
    }
}

impl Exchange {
    fn matcher(self) -> Match {
        Match::new(http::Method::POST, self.0)
    }
}

/// The scenario's network, started with the scenario's wait at the first step that
/// needs it.
pub async fn network(world: &mut KofuWorld) -> &FaultyNetwork {
    if world.faults.network.is_none() {
        let wait = world.faults.wait.unwrap_or(FAULTS_WAIT);
        let rig = world.rig().clone();
        match rig.faulty_network(wait, &world.evidence_dir).await {
            Ok(n) => world.faults.network = Some(n),
            Err(e) => panic!(
                "the faults phase's network did not start: {}",
                crate::steps::error_chain(&e)
            ),
        }
    }
    world
        .faults
        .network
        .as_ref()
        .unwrap_or_else(|| unreachable!("started above"))
}

async fn arm(world: &mut KofuWorld, rule: Rule) {
    tracing::debug!(rule = %rule.describe(), "fault armed");
    network(world).await.injector.arm(rule);
}

#[given(expr = "交付センターの待ち時間は {int} ミリ秒である")]
fn center_wait(world: &mut KofuWorld, millis: u64) {
    if world.faults.network.is_some() {
        panic!("set the center's wait before the first fault (交付センターの待ち時間は …)");
    }
    world.faults.wait = Some(Duration::from_millis(millis));
}

#[given(expr = "交付センターと候補サーバの間には障害を起こせる回線がある")]
async fn faulty_line(world: &mut KofuWorld) {
    network(world).await;
}

#[given(expr = "次の {exchange} の応答は失われる")]
#[when(expr = "次の {exchange} の応答は失われる")]
async fn lose_next(world: &mut KofuWorld, exchange: Exchange) {
    arm(world, Rule::once(exchange.matcher(), Fault::LoseAnswer)).await;
}

#[given(expr = "次の {int} 回の {exchange} の応答は失われる")]
#[when(expr = "次の {int} 回の {exchange} の応答は失われる")]
async fn lose_n(world: &mut KofuWorld, times: u32, exchange: Exchange) {
    arm(
        world,
        Rule::times(exchange.matcher(), Fault::LoseAnswer, times),
    )
    .await;
}

#[given(expr = "次の {exchange} の応答は {int} バイトで途切れる")]
#[when(expr = "次の {exchange} の応答は {int} バイトで途切れる")]
async fn cut_next(world: &mut KofuWorld, exchange: Exchange, after_bytes: usize) {
    arm(
        world,
        Rule::once(exchange.matcher(), Fault::CutBody { after_bytes }),
    )
    .await;
}

#[given(expr = "次の {exchange} は候補サーバに届いた直後に接続が切れる")]
#[when(expr = "次の {exchange} は候補サーバに届いた直後に接続が切れる")]
async fn reset_after(world: &mut KofuWorld, exchange: Exchange) {
    arm(
        world,
        Rule::once(exchange.matcher(), Fault::ResetAfterForward),
    )
    .await;
}

#[given(expr = "次の {int} 回の {exchange} は候補サーバに届く前に接続が切れる")]
#[when(expr = "次の {int} 回の {exchange} は候補サーバに届く前に接続が切れる")]
async fn reset_before_n(world: &mut KofuWorld, times: u32, exchange: Exchange) {
    arm(
        world,
        Rule::times(exchange.matcher(), Fault::ResetBeforeForward, times),
    )
    .await;
}

#[given(expr = "次の {int} 回の {exchange} の応答は待ち時間を過ぎても届かない")]
#[when(expr = "次の {int} 回の {exchange} の応答は待ち時間を過ぎても届かない")]
async fn hold_n(world: &mut KofuWorld, times: u32, exchange: Exchange) {
    arm(
        world,
        Rule::times(exchange.matcher(), Fault::HoldAnswer, times),
    )
    .await;
}

#[given(
    expr = "次の {int} 回の {exchange} のうち、端末 {string} からのものの応答は待ち時間を過ぎても届かない"
)]
#[when(
    expr = "次の {int} 回の {exchange} のうち、端末 {string} からのものの応答は待ち時間を過ぎても届かない"
)]
async fn hold_terminal(world: &mut KofuWorld, times: u32, exchange: Exchange, terminal: String) {
    let on = exchange
        .matcher()
        .with_body(format!("\"terminal_id\":\"{terminal}\""));
    arm(world, Rule::times(on, Fault::HoldAnswer, times)).await;
}

#[given(expr = "次の {int} 回の接続は拒否される")]
#[when(expr = "次の {int} 回の接続は拒否される")]
async fn refuse_n(world: &mut KofuWorld, times: u32) {
    arm(world, Rule::times(Match::any(), Fault::Refuse, times)).await;
}

#[given(expr = "回線はどの応答も {int} ミリ秒遅らせる")]
#[when(expr = "回線はどの応答も {int} ミリ秒遅らせる")]
async fn slow_line(world: &mut KofuWorld, millis: u64) {
    arm(
        world,
        Rule::always(Match::any(), Fault::Latency(Duration::from_millis(millis))),
    )
    .await;
}

#[given(expr = "候補サーバへの要求はすべてこの回線を通る")]
async fn direct_through_line(world: &mut KofuWorld) {
    network(world).await;
    world.faults.direct = true;
}
