// The CLI's error taxonomy: every exception that reaches main() is one of three kinds, each with its
// own exit code (docs/usage.md, "Exit codes"):
//   2 (kExitUsage)    user error: a bad command, flag, value or config line, or a setting a library
//                     rejects (autorec::ConfigError, std::invalid_argument): fix the command;
//   1 (kExitFailure)  I/O or data error: a data file or checkpoint missing, unreadable, malformed or
//                     corrupt (DataError, CheckpointError), data beyond a limit (std::length_error),
//                     a file that cannot be written, out of memory, a device error (engine::Error,
//                     std::runtime_error): fix the input or the machine;
//   3 (kExitInternal) internal error: a broken precondition inside the engine or the kernels
//                     (kernels::Error, engine::PreconditionError and its ShapeError, std::logic_error):
//                     a bug, to be reported.
#pragma once

#include <iosfwd>

namespace autorec::cli {

// Call inside a catch block: writes "autorec: error: ..." (or "autorec: internal error: ...") to `err`
// and returns the exit code of the exception being handled.
int report_current_exception(std::ostream& err);

}  // namespace autorec::cli
