//! Autobahn|Testsuite-compatible results: `index.json` as `{agent: {case: {behavior,
//! behaviorClose, remoteCloseCode, duration, reportfile}}}` with Autobahn's verdict words, and
//! one JSON file per case with the closing details, so scripts written against Autobahn's
//! reports (aiohttp's, libwebsockets', …) keep working.
//!
//! Only cases under `websocket/autobahn/` are written, under their Autobahn id (`6.4.1`);
//! wirecheck's own WebSocket cases have no Autobahn number.

use serde_json::{json, Map, Value};
use wirecheck_core::result::{CaseResult, RunReport, Verdict};

const PREFIX: &str = "websocket/autobahn/";

/// Autobahn's report file stem for an agent: lowercase, non-alphanumerics as `_`.
fn agent_stem(agent: &str) -> String {
    agent
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}

/// Numeric order of dotted ids (`9.10.1` after `9.2.1`).
fn id_key(id: &str) -> Vec<u64> {
    id.split('.')
        .map(|p| p.parse().unwrap_or(u64::MAX))
        .collect()
}

fn case_json(agent: &str, id: &str, c: &CaseResult) -> Value {
    let Some(ws) = &c.websocket else {
        // The case never reached the WebSocket layer (connect error, interrupted).
        return json!({
            "agent": agent, "id": id, "description": c.title,
            "behavior": "FAILED", "behaviorClose": "FAILED",
            "result": c.message.clone().unwrap_or_default(),
            "duration": c.duration_ms,
        });
    };
    json!({
        "agent": agent,
        "id": id,
        "description": c.title,
        "expectation": c.spec.text,
        "behavior": ws.behavior.as_str(),
        "behaviorClose": ws.behavior_close.as_str(),
        "result": ws.result,
        "resultClose": ws.result_close,
        "duration": ws.open_ms,
        "expected": ws.expected,
        "received": ws.received,
        "closedByMe": ws.closed_by_me,
        "droppedByMe": ws.dropped_by_me,
        "wasClean": ws.was_clean,
        "wasNotCleanReason": ws.was_not_clean_reason,
        "wasCloseHandshakeTimeout": ws.close_handshake_timeout,
        "wasServerConnectionDropTimeout": ws.server_drop_timeout,
        "localCloseCode": ws.local_close_code,
        "remoteCloseCode": ws.remote_close_code,
        "remoteCloseReason": ws.remote_close_reason,
        "wirecheckVerdict": c.verdict.as_str(),
    })
}

/// The files to write into the report directory: `index.json` first, then one per case.
pub fn render(report: &RunReport, agent: &str) -> Vec<(String, Vec<u8>)> {
    let stem = agent_stem(agent);
    let mut cases: Vec<(&str, &CaseResult)> = report
        .cases
        .iter()
        .filter(|c| c.verdict != Verdict::Skip)
        .filter_map(|c| c.id.strip_prefix(PREFIX).map(|id| (id, c)))
        .collect();
    cases.sort_by_key(|(id, _)| id_key(id));
    let mut index = Map::new();
    let mut files = Vec::new();
    for (id, c) in cases {
        let file = format!("{stem}_case_{}.json", id.replace('.', "_"));
        let (behavior, close, code, duration) = match &c.websocket {
            Some(ws) => (
                ws.behavior.as_str(),
                ws.behavior_close.as_str(),
                ws.remote_close_code,
                ws.open_ms,
            ),
            None => ("FAILED", "FAILED", None, c.duration_ms),
        };
        index.insert(
            id.to_string(),
            json!({
                "behavior": behavior,
                "behaviorClose": close,
                "duration": duration,
                "remoteCloseCode": code,
                "reportfile": file,
            }),
        );
        let body = serde_json::to_vec_pretty(&case_json(agent, id, c)).unwrap_or_default();
        files.push((file, body));
    }
    let mut top = Map::new();
    top.insert(agent.to_string(), Value::Object(index));
    let mut out = vec![(
        "index.json".to_string(),
        serde_json::to_vec_pretty(&Value::Object(top)).unwrap_or_default(),
    )];
    out.extend(files);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_order_follow_autobahn() {
        assert_eq!(agent_stem("ws://127.0.0.1:9001/"), "ws___127_0_0_1_9001_");
        let mut ids = vec!["9.10.1", "9.2.1", "1.1.10", "1.1.2"];
        ids.sort_by_key(|i| id_key(i));
        assert_eq!(ids, vec!["1.1.2", "1.1.10", "9.2.1", "9.10.1"]);
    }
}
