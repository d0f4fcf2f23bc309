/** The missing-meeting alarm: one issue per problem that stops a meeting from opening. */
export { raiseAlarm, clearAlarm, type RaiseAlarmInput, type RaiseAlarmResult, type ClearAlarmInput, type ClearAlarmResult } from "./alarms.js";
export { alarmText, alarmCauseOf, type AlarmContent, type AlarmResolution } from "./alarm-text.js";
export { configAlarm, seriesFailureAlarm, failureKind, type FailureKind, type SeriesFailureContext } from "./causes.js";
export { formatAlarmMarker, parseAlarmMarker, type AlarmMarker, type AlarmScope } from "../state/alarm-marker.js";
export { syncAlarms, type AlarmOutcome, type SeriesFailure, type SyncAlarmsInput } from "./sync.js";
export { appIssues, type AppIssues } from "../github/alarm-issues.js";
