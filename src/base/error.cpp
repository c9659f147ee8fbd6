#include "base/error.h"

#include <new>

namespace elv {

ErrorOutcome error_outcome(std::exception_ptr error) {
  try {
    if (error) std::rethrow_exception(error);
    return {1, 500, "internal error: no exception"};
  } catch (const UsageError& e) {
    return {2, 400, e.what()};
  } catch (const Error& e) {
    return {1, 422, e.what()};
  } catch (const std::bad_alloc&) {
    return {1, 503, "out of memory: try fewer leads, or a machine with more memory"};
  } catch (const std::exception& e) {
    return {1, 500, std::string("internal error: ") + e.what()};
  } catch (...) {
    return {1, 500, "internal error: an unknown exception"};
  }
}

}  // namespace elv
