//! Polite behaviour towards a busy server: retries of read-only calls, and pacing.
//!
//! # Retries
//! Gateways in front of Odoo (Odoo.sh, Odoo Online, any nginx or load balancer) answer 502, 503
//! or 504 while workers restart, may answer 429 when called too often, and cut connections. A
//! call that only reads can be repeated without harm, so the client repeats it, with exponential
//! backoff and jitter, honouring `Retry-After`, within [`RetryPolicy::max_tries`] and
//! [`RetryPolicy::max_elapsed`]. Which calls only read is an explicit list of method names
//! ([`READ_ONLY_METHODS`], plus [`RetryPolicy::read_only_method`]); every other call (`create`,
//! `write`, `unlink`, `action_*`, any custom method) is never repeated automatically, and its
//! error says whether the request may have reached Odoo ([`crate::Error::NotRetried`]).
//!
//! What is retried: HTTP 429, 502, 503 and 504 answers, and connections lost after the request
//! was sent (reset, closed before or while the answer came). What is not: a connection that
//! cannot be opened (a wrong URL or port would only fail slower), certificate and proxy refusals,
//! timeouts (a call that ran out of time would likely run out again, and load the server meanwhile),
//! and every answer of Odoo itself (its exceptions are answers, not accidents).
//!
//! Each retry is logged at info level with its reason and the wait, and so is giving up; the last
//! failure is then returned as it is.
//!
//! # Pacing
//! [`super::ClientBuilder::max_rate`] spaces requests at least `1 / rate` seconds apart, for the
//! client and every clone of it (they share one schedule), retries included. Off by default.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Methods retried by default: they only read. `version` and `authenticate` (the `common`
/// service) and `context_get` (the uid over JSON-2) are what the client itself calls before the
/// first `execute_kw`.
pub const READ_ONLY_METHODS: &[&str] = &[
    "search",
    "search_read",
    "search_count",
    "read",
    "fields_get",
    "name_search",
    "read_group",
    "check_access_rights",
    "version",
    "authenticate",
    "context_get",
];

/// When and how often read-only calls are retried (see the module documentation).
///
/// ```
/// use std::time::Duration;
/// use odoo_runtime::client::RetryPolicy;
/// let policy = RetryPolicy::default()
///     .max_tries(8)
///     .max_elapsed(Duration::from_secs(300))
///     .read_only_method("x_compute_report");
/// assert!(policy.retries("res.partner.search_read"));
/// assert!(policy.retries("x.model.x_compute_report"));
/// assert!(!policy.retries("res.partner.create"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_tries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    extra_read_only: Vec<String>,
}

/// Default [`RetryPolicy::max_tries`]: the first try and four retries.
pub const DEFAULT_MAX_TRIES: u32 = 5;
/// Default [`RetryPolicy::initial_backoff`].
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_secs(1);
/// Default [`RetryPolicy::max_backoff`].
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Default [`RetryPolicy::max_elapsed`].
pub const DEFAULT_MAX_ELAPSED: Duration = Duration::from_secs(60);

impl Default for RetryPolicy {
    /// Five tries, waits of about 1, 2, 4 and 8 s (each between half and all of that, at random),
    /// at most 30 s per wait and 60 s for the whole call: about 8 to 15 s of waiting in all when
    /// the server sends no `Retry-After`.
    fn default() -> Self {
        RetryPolicy {
            max_tries: DEFAULT_MAX_TRIES,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_elapsed: DEFAULT_MAX_ELAPSED,
            extra_read_only: Vec::new(),
        }
    }
}

impl RetryPolicy {
    /// No retries at all: every call is tried once.
    pub fn none() -> Self {
        RetryPolicy::default().max_tries(1)
    }

    /// Tries per call, the first included (at least 1; 1 turns retries off).
    pub fn max_tries(mut self, tries: u32) -> Self {
        self.max_tries = tries.max(1);
        self
    }

    /// The wait before the first retry; each later wait doubles, up to
    /// [`RetryPolicy::max_backoff`]. Each wait is drawn between half and all of its value.
    pub fn initial_backoff(mut self, wait: Duration) -> Self {
        self.initial_backoff = wait;
        self
    }

    /// The longest wait between two tries (a `Retry-After` may ask for more, within
    /// [`RetryPolicy::max_elapsed`]).
    pub fn max_backoff(mut self, wait: Duration) -> Self {
        self.max_backoff = wait;
        self
    }

    /// The longest a call may take, its tries and waits included: no retry starts a wait that
    /// would end past it (a `Retry-After` beyond it ends the retries at once).
    pub fn max_elapsed(mut self, total: Duration) -> Self {
        self.max_elapsed = total;
        self
    }

    /// Also retries calls of `method`: one of your models' methods that you know only reads.
    pub fn read_only_method(mut self, method: impl Into<String>) -> Self {
        self.extra_read_only.push(method.into());
        self
    }

    /// The tries per call.
    pub fn tries(&self) -> u32 {
        self.max_tries
    }

    /// The time budget of one call.
    pub fn elapsed_budget(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether `call` (`model.method`, or `common.version`) is retried: its method is read-only.
    pub fn retries(&self, call: &str) -> bool {
        let method = call.rsplit('.').next().unwrap_or(call);
        READ_ONLY_METHODS.contains(&method) || self.extra_read_only.iter().any(|m| m == method)
    }

    /// The wait before try `done + 1`, after `done` tries and `elapsed` time, when the server
    /// asked for `retry_after`; `None` when the retries are over.
    pub(crate) fn next_wait(
        &self,
        done: u32,
        elapsed: Duration,
        retry_after: Option<Duration>,
    ) -> Option<Duration> {
        if done >= self.max_tries {
            return None;
        }
        let doubling = 2u32.saturating_pow(done.saturating_sub(1).min(30));
        let backoff = self
            .initial_backoff
            .saturating_mul(doubling)
            .min(self.max_backoff);
        // "Equal jitter": between half and all of the backoff, so that clients that failed
        // together do not come back together.
        let half = backoff / 2;
        let jitter = Duration::from_nanos(fastrand::u64(
            0..=half.as_nanos().min(u64::MAX as u128) as u64,
        ));
        let wait = (half + jitter).max(retry_after.unwrap_or_default());
        (elapsed.saturating_add(wait) <= self.max_elapsed).then_some(wait)
    }
}

/// `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3).
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// Spaces requests at least `interval` apart: a token bucket holding one token, refilled every
/// `interval`, shared by every clone of a client.
#[derive(Debug)]
pub(crate) struct Pacer {
    interval: Duration,
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// A pacer for `rate` requests per second; `None` unless `rate` is a positive number whose
    /// interval a `Duration` holds.
    pub(crate) fn new(rate: f64) -> Option<Pacer> {
        if !(rate.is_finite() && rate > 0.0) {
            return None;
        }
        let interval = Duration::try_from_secs_f64(1.0 / rate).ok()?;
        Some(Pacer {
            interval,
            next: Mutex::new(None),
        })
    }

    /// Requests per second.
    pub(crate) fn rate(&self) -> f64 {
        1.0 / self.interval.as_secs_f64()
    }

    /// Waits for this request's turn.
    pub(crate) async fn wait(&self) {
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_list() {
        let p = RetryPolicy::default();
        for call in [
            "res.partner.search_read",
            "ir.model.fields.search_read",
            "res.partner.fields_get",
            "common.version",
            "common.authenticate",
            "res.users.context_get",
            "sale.order.read_group",
        ] {
            assert!(p.retries(call), "{call}");
        }
        for call in [
            "res.partner.create",
            "res.partner.write",
            "res.partner.unlink",
            "sale.order.action_confirm",
            "res.partner.x_search_and_fix",
        ] {
            assert!(!p.retries(call), "{call}");
        }
        assert!(p.clone().read_only_method("x_stats").retries("x.m.x_stats"));
    }

    #[test]
    fn waits_double_with_jitter_within_the_budget() {
        let p = RetryPolicy::default();
        for _ in 0..100 {
            let w1 = p.next_wait(1, Duration::ZERO, None).unwrap();
            assert!(
                w1 >= Duration::from_millis(500) && w1 <= Duration::from_secs(1),
                "{w1:?}"
            );
            let w4 = p.next_wait(4, Duration::ZERO, None).unwrap();
            assert!(
                w4 >= Duration::from_secs(4) && w4 <= Duration::from_secs(8),
                "{w4:?}"
            );
        }
        assert_eq!(p.next_wait(5, Duration::ZERO, None), None, "5 tries done");
        // Retry-After is a minimum; beyond the budget it ends the retries.
        let w = p
            .next_wait(1, Duration::ZERO, Some(Duration::from_secs(20)))
            .unwrap();
        assert_eq!(w, Duration::from_secs(20));
        assert_eq!(
            p.next_wait(1, Duration::from_secs(50), Some(Duration::from_secs(20))),
            None
        );
        // The per-wait cap.
        let p = RetryPolicy::default()
            .max_tries(40)
            .max_elapsed(Duration::MAX);
        assert!(p.next_wait(30, Duration::ZERO, None).unwrap() <= Duration::from_secs(30));
        assert_eq!(RetryPolicy::none().next_wait(1, Duration::ZERO, None), None);
    }

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        let soon = std::time::SystemTime::now() + Duration::from_secs(120);
        let w = parse_retry_after(&httpdate::fmt_http_date(soon)).unwrap();
        assert!(
            w > Duration::from_secs(110) && w <= Duration::from_secs(120),
            "{w:?}"
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
