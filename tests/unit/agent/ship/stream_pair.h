// In-process ByteStream pairs on a FakeClock, for shipper tests: bytes written on one end reach
// the other end's handler on a later "loop turn" (a zero-delay FakeClock timer), Close() and
// Shutdown() end both ends with OnClosed, and a FakeConnector hands out one end per connection
// attempt (or refuses it) while a test plays the aggregator on the other.
// Not thread-safe: the test's thread only.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "shared/net/byte_stream.h"
#include "shared/net/stream_connector.h"
#include "shared/time/fake_clock.h"

namespace silt::agent::testing {

class PairedStream;

// Creates two connected ends.
std::pair<std::unique_ptr<net::ByteStream>, std::unique_ptr<net::ByteStream>> MakeStreamPair(
    time::FakeClock* clock);

class FakeConnector {
 public:
  // Called with the server end of each accepted connection.
  using AcceptFn = std::function<void(std::unique_ptr<net::ByteStream>)>;

  FakeConnector(time::FakeClock* clock, AcceptFn accept)
      : clock_(clock), accept_(std::move(accept)) {}

  // The next `n` attempts fail with Unavailable("connection refused").
  void RefuseNext(int n) { refuse_ += n; }
  int attempts() const { return attempts_; }

  std::unique_ptr<net::PendingConnect> Connect(net::ConnectFn done);

 private:
  time::FakeClock* clock_;
  AcceptFn accept_;
  int refuse_ = 0;
  int attempts_ = 0;
};

}  // namespace silt::agent::testing
