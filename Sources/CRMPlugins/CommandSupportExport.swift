// The shared command vocabulary (`WorkspaceOptions`, `reportingErrors` and the exit codes,
// `ProgressMeter`, `ActingUserResolver`, `CRMVersion`, `WorkspaceOpening`) reaches the `crm`
// executable through the built-in list, as the built-in commands and services do: the
// executable names no project layer beyond the kernel, the Lua runtime, the server and this list.
@_exported import CRMCommandSupport
