//! A sync with the server on the message line, in the interface's language: its
//! start, its stages, and what it did or why it failed. Counts have thousands
//! separators and the digits (and, in Persian, the separator) the reader uses.

use crate::sync::{SyncReport, SyncStage};
use crate::text::thousands;

use super::super::i18n::Text;
use super::super::model::Model;
use super::super::msg::{Command, SyncFailure};
use super::refresh::reload_lists;

/// `sync: starting`, when the reader asks for a sync.
pub(super) fn starting(model: &Model) -> String {
    let stage = model.t(Text::SyncStarting);
    model.tf(Text::SyncStage, &[("stage", stage)])
}

/// A running sync reached `stage`.
pub(super) fn on_progress(model: &mut Model, stage: SyncStage) -> Vec<Command> {
    model.sync_running = true;
    let stage = match stage {
        SyncStage::LoggingIn => model.t(Text::SyncLoggingIn).to_string(),
        SyncStage::SendingMarks => model.t(Text::SyncSendingMarks).to_string(),
        SyncStage::ReadingSubscriptions => model.t(Text::SyncReadingSubscriptions).to_string(),
        SyncStage::NewEntries(n) => {
            counted(model, n, Text::SyncNewEntriesOne, Text::SyncNewEntriesMany)
        }
        SyncStage::Reconciling => model.t(Text::SyncReconciling).to_string(),
    };
    model.message = Some(model.tf(Text::SyncStage, &[("stage", &stage)]));
    Vec::new()
}

/// A sync ended: its summary on the message line, or its error on the error line;
/// the lists are read again either way (a failed sync may have done some steps).
pub(super) fn on_synced(
    model: &mut Model,
    result: Result<SyncReport, SyncFailure>,
) -> Vec<Command> {
    model.sync_running = false;
    match result {
        Ok(report) => {
            model.message = Some(summary(model, &report));
            // The last sync's failure is over; an error from elsewhere stays.
            if let Some(old) = model.sync_error.take()
                && model.last_error.as_ref() == Some(&old)
            {
                model.last_error = None;
            }
        }
        Err(failure) => {
            let error = if failure.marks_kept > 0 {
                let kept = counted(
                    model,
                    failure.marks_kept,
                    Text::SyncMarksKeptOne,
                    Text::SyncMarksKeptMany,
                );
                model.tf(
                    Text::SyncFailedMarksKept,
                    &[("error", &failure.cause), ("kept", &kept)],
                )
            } else {
                model.tf(Text::SyncFailed, &[("error", &failure.cause)])
            };
            model.sync_error = Some(error.clone());
            model.last_error = Some(error);
        }
    }
    reload_lists(model)
}

/// `sync: 312 new, 1,204 marked read on the server, 17 sent` and what else the
/// server changed, in the same order as the command line's summary.
fn summary(model: &Model, report: &SyncReport) -> String {
    let one = |n: u64, text: Text| counted(model, n, text, text);
    let mut parts = vec![
        one(report.new, Text::SyncedNew),
        one(report.read_on_server, Text::SyncedReadOnServer),
        one(report.sent, Text::SyncedSent),
    ];
    if report.unread_on_server > 0 {
        parts.push(one(report.unread_on_server, Text::SyncedUnreadOnServer));
    }
    if report.stars_on_server > 0 {
        parts.push(counted(
            model,
            report.stars_on_server,
            Text::SyncedStarsOne,
            Text::SyncedStarsMany,
        ));
    }
    if report.unsent > 0 {
        parts.push(one(report.unsent, Text::SyncedNotSent));
    }
    if report.gone_on_server > 0 {
        parts.push(one(report.gone_on_server, Text::SyncedGoneOnServer));
    }
    let parts = parts.join(model.t(Text::ListSeparator));
    model.tf(Text::SyncStage, &[("stage", &parts)])
}

/// `1,204 items` / `۱٬۲۰۴ مطلب`: a count with thousands separators and its noun.
fn counted(model: &Model, n: u64, one: Text, many: Text) -> String {
    let mut number = model.digits(thousands(n));
    if model.dates.persian_digits {
        // The Arabic thousands separator goes with Persian digits.
        number = number.replace(',', "\u{066C}");
    }
    super::super::i18n::counted(model.locale(), n, &number, one, many)
}
