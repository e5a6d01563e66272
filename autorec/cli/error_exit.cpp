#include "error_exit.h"

#include <exception>
#include <new>
#include <ostream>
#include <stdexcept>
#include <string>

#include "autorec/checkpoint.h"
#include "autorec/data/error.h"
#include "autorec/error.h"
#include "engine/error.h"
#include "usage_error.h"

namespace autorec::cli {
namespace {

int report(std::ostream& err, const std::string& message, int code) {
  err << (code == kExitInternal ? "autorec: internal error: " : "autorec: error: ") << message << "\n";
  if (code == kExitInternal) err << "autorec: this is a bug; please report it with the command that caused it\n";
  return code;
}

}  // namespace

int report_current_exception(std::ostream& err) {
  // Most derived first: ConfigError is a std::invalid_argument, engine::PreconditionError (and its
  // ShapeError) an engine::Error, itself a std::runtime_error. A kernel's precondition (kernels::Error)
  // is a std::logic_error: internal, like every logic_error that is not a usage or a size limit.
  try {
    throw;
  } catch (const UsageError& error) {
    return report(err, error.what(), kExitUsage);
  } catch (const ConfigError& error) {
    return report(err, error.what(), kExitUsage);
  } catch (const engine::PreconditionError& error) {
    return report(err, error.what(), kExitInternal);
  } catch (const engine::Error& error) {  // the engine's data, record and resource errors
    return report(err, error.what(), kExitFailure);
  } catch (const DataError& error) {
    return report(err, error.what(), kExitFailure);
  } catch (const CheckpointError& error) {
    return report(err, error.what(), kExitFailure);
  } catch (const std::invalid_argument& error) {  // autorec/data rejects impossible settings this way
    return report(err, error.what(), kExitUsage);
  } catch (const std::length_error& error) {  // data beyond a limit of the library (2^31 ids, ...)
    return report(err, error.what(), kExitFailure);
  } catch (const std::logic_error& error) {
    return report(err, error.what(), kExitInternal);
  } catch (const std::bad_alloc&) {
    return report(err, "out of memory", kExitFailure);
  } catch (const std::exception& error) {
    return report(err, error.what(), kExitFailure);
  } catch (...) {
    return report(err, "an exception of unknown type", kExitInternal);
  }
}

}  // namespace autorec::cli
