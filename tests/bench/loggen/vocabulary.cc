#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen::vocab {
namespace {

constexpr Weighted kHttpMethods[] = {
    {"GET", 700},  {"POST", 180}, {"PUT", 50},    {"DELETE", 30},
    {"PATCH", 20}, {"HEAD", 12},  {"OPTIONS", 8},
};

// Roughly what a busy API edge sees: mostly 2xx, a visible share of redirects and 304s, a few
// percent 4xx, well under 1% 5xx.
constexpr Weighted kHttpStatuses[] = {
    {"200", 8200}, {"201", 400}, {"204", 250}, {"206", 20}, {"301", 80},  {"302", 150},
    {"304", 350},  {"400", 120}, {"401", 100}, {"403", 50}, {"404", 180}, {"405", 5},
    {"408", 5},    {"409", 15},  {"413", 3},   {"422", 20}, {"429", 40},  {"499", 12},
    {"500", 30},   {"502", 15},  {"503", 20},  {"504", 10},
};

constexpr Weighted kPathTemplates[] = {
    {"/api/v1/users/{id}", 120},
    {"/api/v1/users/{id}/orders", 60},
    {"/api/v1/orders/{id}", 110},
    {"/api/v1/orders/{id}/items/{n}", 40},
    {"/api/v1/products/{id}", 140},
    {"/api/v1/products?category={word}&page={n}", 40},
    {"/api/v1/cart", 50},
    {"/api/v1/cart/items/{id}", 30},
    {"/api/v1/checkout", 25},
    {"/api/v1/payments/{uuid}", 20},
    {"/api/v1/sessions/{uuid}", 20},
    {"/api/v2/search?q={word}", 60},
    {"/api/v2/recommendations/{id}", 30},
    {"/graphql", 40},
    {"/static/js/main.{hex}.js", 45},
    {"/static/css/app.{hex}.css", 25},
    {"/static/img/logo.svg", 15},
    {"/images/products/{id}.jpg", 70},
    {"/images/avatars/{id}.png", 20},
    {"/", 40},
    {"/login", 20},
    {"/logout", 8},
    {"/account/settings", 6},
    {"/healthz", 35},
    {"/readyz", 10},
    {"/metrics", 15},
    {"/favicon.ico", 12},
    {"/robots.txt", 4},
    {"/ws/notifications", 6},
    {"/admin/reports/{id}", 3},
    {"/wp-login.php", 2},
    {"/.env", 1},
};

constexpr std::string_view kUserAgents[] = {
    "curl/8.5.0",
    "Wget/1.21.4",
    "kube-probe/1.29",
    "okhttp/4.12.0",
    "axios/1.6.7",
    "Go-http-client/1.1",
    "Go-http-client/2.0",
    "Prometheus/2.49.1",
    "python-requests/2.31.0",
    "Apache-HttpClient/4.5.14 (Java/17.0.9)",
    "ELB-HealthChecker/2.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:122.0) Gecko/20100101 Firefox/122.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.6099.230 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 "
    "Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.2.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/121.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/121.0.0.0 Safari/537.36",
};

constexpr std::string_view kReferers[] = {
    "https://www.google.com/",
    "https://shop.example.com/",
    "https://shop.example.com/cart",
    "https://shop.example.com/products",
    "https://www.bing.com/",
    "https://duckduckgo.com/",
    "https://t.co/",
    "https://news.ycombinator.com/",
};

constexpr std::string_view kDebugMessages[] = {
    "query executed in {ms}ms",
    "acquired lock {word}-{n}",
    "cache lookup key {word}:{id}",
    "decoded request body of {n} fields",
    "connection {hex} returned to pool",
    "evaluating feature flag {word}",
    "span {hex} finished",
    "loaded {n} rows from {word} table",
};

constexpr std::string_view kInfoMessages[] = {
    "request completed",
    "user {user} logged in",
    "user {user} logged out",
    "order {id} created",
    "order {id} shipped",
    "payment authorized for order {id}",
    "cache hit for key {word}:{id}",
    "cache miss for key {word}:{id}",
    "session {hex} refreshed",
    "job {word} finished in {ms}ms",
    "connected to database shard {n}",
    "published {n} events to topic {word}",
    "consumed {n} messages from partition {n}",
    "scheduled task {word} started",
    "health check passed",
    "configuration reloaded",
    "served {n} items from catalog",
    "email sent to user {id}",
    "inventory updated for product {id}",
    "token issued for client {hex}",
    "upload {uuid} stored",
    "checkpoint written at offset {id}",
};

constexpr std::string_view kWarnMessages[] = {
    "slow query took {ms}ms",
    "retrying upstream call attempt {n}",
    "rate limit approaching for tenant {id}",
    "deprecated endpoint called by client {hex}",
    "connection pool at {pct} percent capacity",
    "request body larger than expected",
    "cache eviction storm on shard {n}",
    "clock skew of {ms}ms detected",
    "falling back to replica {n}",
    "certificate expires in {n} days",
};

constexpr std::string_view kErrorMessages[] = {
    "failed to process order {id}: timeout",
    "upstream returned 503 for {word} service",
    "database connection refused on shard {n}",
    "payment declined for order {id}",
    "unable to parse request body",
    "context deadline exceeded after {ms}ms",
    "failed to publish event to topic {word}",
    "user {user} not found",
    "permission denied for user {id}",
    "connection reset by peer {ip}",
};

constexpr std::string_view kWords[] = {
    "account",   "active",   "admin",   "alpha",    "archive",  "async",    "audit",    "backend",
    "backup",    "balance",  "batch",   "billing",  "bucket",   "buffer",   "build",    "cache",
    "canary",    "cart",     "catalog", "channel",  "checkout", "client",   "cluster",  "commit",
    "config",    "consumer", "context", "cookie",   "coupon",   "credit",   "cron",     "customer",
    "daily",     "delivery", "delta",   "device",   "digest",   "discount", "dispatch", "draft",
    "edge",      "email",    "engine",  "event",    "export",   "feature",  "feed",     "filter",
    "flush",     "gateway",  "graph",   "group",    "handler",  "header",   "index",    "invoice",
    "job",       "journal",  "kernel",  "ledger",   "limit",    "listing",  "loader",   "lookup",
    "manifest",  "merge",    "metric",  "mobile",   "monitor",  "notify",   "offset",   "order",
    "origin",    "partner",  "payload", "payment",  "pending",  "pipeline", "policy",   "pool",
    "primary",   "product",  "profile", "promo",    "proxy",    "queue",    "quota",    "rebuild",
    "receipt",   "refund",   "region",  "registry", "replica",  "report",   "request",  "retry",
    "review",    "route",    "sample",  "schema",   "search",   "segment",  "session",  "shard",
    "shipment",  "snapshot", "stock",   "storage",  "stream",   "summary",  "sync",     "tenant",
    "ticket",    "token",    "topic",   "tracker",  "upload",   "upstream", "user",     "vendor",
    "warehouse", "webhook",  "worker",
};

constexpr std::string_view kUserNames[] = {
    "alice",   "bob",  "carol",  "dave",  "erin",   "frank", "grace", "heidi",  "ivan",   "judy",
    "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yusuf",
};

constexpr Field kEventFields[] = {
    {"user_id", "{id}", true},    {"order_id", "{id}", true},       {"attempt", "{n}", true},
    {"tenant", "{word}", false},  {"region", "eu-west-{n}", false}, {"items", "{n}", true},
    {"cache", "{word}", false},   {"client_ip", "{ip}", false},     {"session", "{hex}", false},
    {"queue_depth", "{n}", true},
};

constexpr std::string_view kCallers[] = {
    "server.go:142", "handler.go:87",  "router.go:311", "db.go:56",   "cache.go:204",
    "worker.go:98",  "consumer.go:77", "auth.go:163",   "main.go:41", "client.go:255",
};

constexpr SyslogMessage kSyslogMessages[] = {
    {"sshd", "Accepted publickey for {user} from {ip} port {port} ssh2"},
    {"sshd", "Failed password for invalid user {user} from {ip} port {port} ssh2"},
    {"sshd", "Connection closed by {ip} port {port} [preauth]"},
    {"sshd", "pam_unix(sshd:session): session opened for user {user}(uid={n}) by (uid=0)"},
    {"sshd", "pam_unix(sshd:session): session closed for user {user}"},
    {"CRON", "(root) CMD (/usr/local/bin/{word}-rotate --quiet)"},
    {"systemd", "Started Session {id} of User {user}."},
    {"systemd", "Started {word}.service - {word} daemon."},
    {"systemd", "{word}.service: Deactivated successfully."},
    {"dhclient", "DHCPACK on {ip} to 52:54:00:{hex}"},
    {"kernel", "Out of memory: Killed process {id} ({word}) total-vm:{id}kB"},
    {"kernel", "nf_conntrack: table full, dropping packet"},
    {"kernel", "EXT4-fs (nvme0n1p{n}): mounted filesystem with ordered data mode"},
    {"rsyslogd", "message repeated {n} times"},
};

constexpr std::string_view kSyslogMsgIds[] = {"-",     "-",    "-",    "ID47",
                                              "audit", "conn", "auth", "tcpin"};

constexpr std::string_view kStructuredData[] = {
    "[origin ip=\"{ip}\"]",
    "[meta sequenceId=\"{id}\"]",
    "[timeQuality tzKnown=\"1\" isSynced=\"1\"]",
    "[exampleSDID@32473 iut=\"{n}\" eventSource=\"Application\" eventID=\"{id}\"]",
};

constexpr std::string_view kJavaThreads[] = {
    "main",
    "http-nio-8080-exec-{n}",
    "scheduling-{n}",
    "kafka-consumer-{n}",
    "ForkJoinPool.commonPool-worker-{n}",
    "pool-{n}-thread-{n}",
};

constexpr std::string_view kJavaDomains[] = {
    "orders", "payments", "inventory", "users", "auth", "search", "cart", "shipping",
};

constexpr std::string_view kJavaClassSuffixes[] = {
    "Service", "Controller", "Repository", "Client", "Handler", "Processor", "Validator",
};

constexpr std::string_view kJavaMethods[] = {
    "process", "handle", "findById",         "save",     "validate", "execute",
    "submit",  "apply",  "lambda$process$0", "doFilter", "call",     "load",
};

constexpr JavaException kJavaExceptions[] = {
    {"java.lang.IllegalStateException", "order {id} is in state CANCELLED"},
    {"java.lang.NullPointerException", "Cannot invoke String.length() because value is null"},
    {"java.lang.IllegalArgumentException", "invalid quantity: -{n}"},
    {"java.util.concurrent.TimeoutException", "timed out after {ms} ms"},
    {"com.example.common.ServiceException", "upstream {word} service unavailable"},
    {"org.springframework.dao.DataIntegrityViolationException", "could not execute statement"},
    {"java.io.UncheckedIOException", "failed to read {word} payload"},
};

constexpr JavaException kJavaCauses[] = {
    {"java.sql.SQLTimeoutException", "query timed out after {ms} ms"},
    {"java.net.SocketTimeoutException", "Read timed out"},
    {"java.net.ConnectException", "Connection refused"},
    {"org.postgresql.util.PSQLException", "ERROR: deadlock detected"},
    {"java.io.IOException", "Broken pipe"},
    {"com.fasterxml.jackson.core.JsonParseException", "Unexpected character at line {n}"},
};

constexpr std::string_view kJavaFrameworkFrames[] = {
    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
    "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
    "org.springframework.aop.framework.ReflectiveMethodInvocation.proceed("
    "ReflectiveMethodInvocation.java:184)",
    "org.springframework.transaction.interceptor.TransactionInterceptor.invoke("
    "TransactionInterceptor.java:119)",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:174)",
    "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
    "com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeQuery("
    "HikariProxyPreparedStatement.java)",
    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke("
    "DirectMethodHandleAccessor.java:103)",
    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
    "java.base/java.lang.Thread.run(Thread.java:1583)",
};

constexpr std::string_view kHostPrefixes[] = {"web",    "api",  "db",    "cache",
                                              "worker", "edge", "batch", "queue"};

constexpr std::string_view kAppNames[] = {
    "checkout",      "payments",        "cart",      "catalog",  "search",  "auth",
    "users",         "orders",          "inventory", "shipping", "gateway", "billing",
    "notifications", "recommendations", "reviews",   "frontend",
};

constexpr std::string_view kNamespaces[] = {"default",  "prod", "staging", "payments",
                                            "platform", "data", "edge",    "ops"};

}  // namespace

std::span<const Weighted> HttpMethods() { return kHttpMethods; }
std::span<const Weighted> HttpStatuses() { return kHttpStatuses; }
std::span<const Weighted> PathTemplates() { return kPathTemplates; }
std::span<const std::string_view> UserAgents() { return kUserAgents; }
std::span<const std::string_view> Referers() { return kReferers; }
std::span<const std::string_view> DebugMessages() { return kDebugMessages; }
std::span<const std::string_view> InfoMessages() { return kInfoMessages; }
std::span<const std::string_view> WarnMessages() { return kWarnMessages; }
std::span<const std::string_view> ErrorMessages() { return kErrorMessages; }
std::span<const std::string_view> Words() { return kWords; }
std::span<const std::string_view> UserNames() { return kUserNames; }
std::span<const Field> EventFields() { return kEventFields; }
std::span<const std::string_view> Callers() { return kCallers; }
std::span<const SyslogMessage> SyslogMessages() { return kSyslogMessages; }
std::span<const std::string_view> SyslogMsgIds() { return kSyslogMsgIds; }
std::span<const std::string_view> StructuredData() { return kStructuredData; }
std::span<const std::string_view> JavaThreads() { return kJavaThreads; }
std::span<const std::string_view> JavaDomains() { return kJavaDomains; }
std::span<const std::string_view> JavaClassSuffixes() { return kJavaClassSuffixes; }
std::span<const std::string_view> JavaMethods() { return kJavaMethods; }
std::span<const JavaException> JavaExceptions() { return kJavaExceptions; }
std::span<const JavaException> JavaCauses() { return kJavaCauses; }
std::span<const std::string_view> JavaFrameworkFrames() { return kJavaFrameworkFrames; }
std::span<const std::string_view> HostPrefixes() { return kHostPrefixes; }
std::span<const std::string_view> AppNames() { return kAppNames; }
std::span<const std::string_view> Namespaces() { return kNamespaces; }

}  // namespace silt::loggen::vocab
