#include "server/server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <utility>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <nlohmann/json.hpp>
#include <sys/socket.h>

#include "advisor/advisor.h"
#include "base/error.h"
#include "base/random_id.h"
#include "contracts/validate.h"
#include "io/files.h"
#include "report/html.h"
#include "report/markdown.h"
#include "run/creative_runs.h"
#include "run/pipelines.h"
#include "run/run_folder.h"
#include "run/run_name.h"
#include "scoring/metric_definitions.h"
#include "server/access.h"
#include "server/advice.h"
#include "server/creatives.h"
#include "server/jobs.h"
#include "server/leads.h"
#include "server/rate_limit.h"
#include "server/run_quota.h"
#include "server/runs.h"
#include "server/safe_paths.h"
#include "server/uploads.h"
#include "server/web_assets.h"
#include "table/preflight.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace elv::server {

namespace {

constexpr const char* kJson = "application/json";
constexpr const char* kSessionCookie = "elv_session";
constexpr const char* kLoginPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";
constexpr const char* kNoSuchJob =
    "no such job (the runs folder keeps the records of its last 200 jobs)";
// Connection handling under load (Server::Impl::routes, Server::bind; measured in
// bench/RESULTS.md, "Serving under load").
constexpr size_t kHttpWorkers = 24;
constexpr time_t kKeepAliveSeconds = 2;
constexpr int kListenQueue = 512;

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_content(body.dump(), kJson);
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, {{"error", message}}, status);
}

template <class F>
void map_strings(json& j, const F& f) {
  if (j.is_string())
    j = f(j.get<std::string>());
  else if (j.is_array() || j.is_object())
    for (auto& v : j) map_strings(v, f);
}

// What each leaderboard and overview figure means (scoring/metric_definitions.h), for the
// page's column titles, tooltips and tiles.
json metrics_json() {
  json out = json::object();
  for (const scoring::MetricDefinition& d : scoring::metric_definitions())
    out[std::string(d.column)] = {{"label", std::string(d.label)},
                                  {"definition", std::string(d.definition)}};
  return out;
}

// The temporary upload folder is an implementation detail: messages name the file only.
void strip_prefix_in_strings(json& j, const std::string& prefix) {
  map_strings(j, [&](const std::string& t) { return replace_all(t, prefix, ""); });
}

bool truthy(const std::string& v) { return v == "true" || v == "1" || v == "on" || v == "yes"; }

// A finite, non-negative number from a form or JSON field; nullopt when malformed.
std::optional<double> non_negative(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    size_t used = 0;
    const double v = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(v) || v < 0) return std::nullopt;
    return v;
  } catch (...) {
    return std::nullopt;
  }
}

bool valid_model_type(const std::string& t) {
  return t == "logreg" || t == "gbdt" || t == "lgbm" || t == "auto";
}

// Stages a job is expected to report (reads, features, writes), for the progress bar.
int expected_stages(const Config& c, bool demo, bool train) {
  int n = 2 /* read ads, leads */ + 1 /* check the inputs */ +
          2 /* join and label, window features */ + 2 /* write table, profile */;
  n += !c.paths.outcomes_path.empty();
  n += !c.paths.lead_to_ad_map_path.empty();
  for (const std::string* p : {&c.paths.ads_placement_path, &c.paths.ads_geo_path,
                               &c.paths.adset_targeting_path, &c.paths.ad_creatives_path})
    n += p->empty() ? 0 : 2;
  n += train ? 3 : 1;  // fit, evaluate, score all leads | score
  n += 1;              // write predictions and leaderboards
  return n + (demo ? 1 : 0);
}

// One request's upload folder: removed when the request is done with it, whichever way it
// ends (refused upload, bad field, validation done, an exception), unless a job takes it
// over with release().
using UploadFolder = io::OwnedFolder;

std::string read_whole(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

bool is_loopback_host(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

// The runs folder, created when missing, as an absolute path without a trailing slash.
std::string prepared_runs_dir(const std::string& given) {
  fs::create_directories(given);
  std::string dir = fs::absolute(given).lexically_normal().string();
  if (!dir.empty() && dir.back() == '/') dir.pop_back();
  return dir;
}

struct Server::Impl {
  ServerOptions options;
  std::string runs_dir;  // absolute
  httplib::Server http;
  int listen_socket = -1;  // http's listening socket, seen in its socket-options callback
  // Declared after http: destroyed first, so jobs finish before teardown. Their records
  // live in <runs>/.jobs (hidden: never listed as a run), so they outlive the server.
  JobRegistry jobs;
  // Per client address (client_address): every request, and the requests that start a job.
  RateLimiter request_limiter, job_limiter;
  AccessControl access;

  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        runs_dir(prepared_runs_dir(options.runs_dir)),
        jobs(runs_dir + "/.jobs", options.max_jobs),
        request_limiter(options.max_requests_per_minute,
                        std::max(10.0, options.max_requests_per_minute / 2.0)),
        job_limiter(options.max_jobs_per_minute, options.max_jobs_per_minute),
        access(options.auth_token) {
    routes();
  }

  // Refuses what is not let through (a foreign Host name, no token or session, an upload
  // in public mode) before any route reads the request's body.
  std::optional<httplib::Server::HandlerResponse> gate(const httplib::Request& req,
                                                       httplib::Response& res);
  void login_routes();
  void access_log(const httplib::Request& req, const httplib::Response& res) const;

  uint64_t max_file_bytes() const { return options.max_upload_mb * 1024 * 1024; }
  // A creative upload's media, sent as files or unpacked from a zip: a few hundred pictures
  // or a few dozen short videos fit in four files' worth.
  uint64_t max_creative_bytes() const { return 4 * max_file_bytes(); }

  std::string too_large_message(const std::string& file) const {
    return file + " is larger than the upload limit of " + std::to_string(options.max_upload_mb) +
           " MB per file; use the CLI for bigger files, or restart elv serve with --max-upload-mb";
  }

  // A new hidden folder for one request's uploads, inside the runs folder (same file
  // system, so kept uploads move into the run by rename).
  std::string new_upload_dir() const { return runs_dir + "/.upload-" + random_hex(12); }

  void routes();
  // The work of a job, then --max-runs / --max-runs-gb: the oldest runs the server made go
  // once the new one is in place (never the new one, never a run it did not make).
  JobRegistry::Work within_run_quota(JobRegistry::Work work);
  // Whether a visitor may use the Gemini key the server was started with: only on this
  // machine, and never on a public demo, where each visitor pastes their own.
  bool lends_advisor_key() const { return is_loopback_host(options.host) && !options.is_public; }
  void post_demo(const httplib::Request& req, httplib::Response& res);
  void post_validate(const httplib::Request& req, httplib::Response& res,
                     const httplib::ContentReader& reader);
  void post_byo(const httplib::Request& req, httplib::Response& res,
                const httplib::ContentReader& reader);
  void get_run_file(const httplib::Request& req, httplib::Response& res);
  void cancel_job(const std::string& id, httplib::Response& res);
  // The Advisor tab: whose key, what would be sent, the question as a job, the answer.
  void get_advisor_status(httplib::Response& res) const;
  void post_advice(const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader, bool preview_only);
  void get_advice(const httplib::Request& req, httplib::Response& res) const;
  // The Creatives tab: the analysis, its thumbnails, and an upload analysed as a job.
  void get_creatives(const httplib::Request& req, httplib::Response& res) const;
  void get_creative_thumbnail(const httplib::Request& req, httplib::Response& res) const;
  void post_creatives(const httplib::Request& req, httplib::Response& res,
                      const httplib::ContentReader& reader);
  // Receives an upload and answers 400/413 itself when it cannot be used.
  std::optional<Upload> receive(const httplib::Request& req, httplib::Response& res,
                                const httplib::ContentReader& reader, const std::string& dir);
};

JobRegistry::Work Server::Impl::within_run_quota(JobRegistry::Work work) {
  const RunQuota quota{options.max_runs,
                       static_cast<uint64_t>(options.max_runs_gb * 1024.0 * 1024.0 * 1024.0)};
  if (!quota.limited()) return work;
  return [this, quota, work = std::move(work)](JobContext& job) {
    const std::string run_id = work(job);
    const std::vector<std::string> removed = enforce_run_quota(runs_dir, quota, run_id);
    if (!removed.empty())
      job.note(std::to_string(removed.size()) +
               " older run(s) made by this server were removed to keep within its quota "
               "(--max-runs / --max-runs-gb)");
    return run_id;
  };
}

void Server::Impl::routes() {
  // Every upload file has its own limit; the whole request is bounded by all of them (or by
  // the advisor's media, with its text fields, when that is more).
  http.set_payload_max_length(
      std::max({max_file_bytes() * (upload_file_names().size() + kMaxDroppedFiles + 1),
                options.max_advisor_media_mb * 1024 * 1024 + 2 * kMaxAdviceTextBytes,
                max_file_bytes() + max_creative_bytes()}) +
      (1 << 20));
  // httplib's default sets SO_REUSEPORT, which lets a second server bind the same port
  // and silently share its requests; SO_REUSEADDR alone allows a quick restart but makes a
  // busy port an error.
  http.set_socket_options([this](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
    listen_socket = sock;
  });
  // A burst of visitors (a team opening the page at once, a monitor, a script) must be
  // answered, not refused or left waiting behind idle connections (bench/RESULTS.md,
  // "Serving under load"). Each httplib worker holds one connection while it is kept alive:
  // a larger pool than httplib's default (8 here) serves more at once, and a short keep-alive
  // frees a worker soon after its client goes quiet.
  http.new_task_queue = [] { return new httplib::ThreadPool(kHttpWorkers); };
  http.set_keep_alive_timeout(kKeepAliveSeconds);
  http.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                            {"Cache-Control", "no-store"},
                            {"Referrer-Policy", "no-referrer"},
                            {"X-Frame-Options", "SAMEORIGIN"}});

  http.set_read_timeout(options.read_timeout_seconds, 0);
  http.set_write_timeout(options.read_timeout_seconds, 0);
  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    return gate(req, res).value_or(httplib::Server::HandlerResponse::Unhandled);
  });
  if (options.log_format != "off")
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      access_log(req, res);
    });
  http.set_error_handler([this](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413)
      send_error(res, 413,
                 "request too large: each file may be at most " +
                     std::to_string(options.max_upload_mb) + " MB");
    else if (res.status == 404)
      send_error(res, 404, "not found");
    else
      send_error(res, res.status, "bad request");
  });
  // User and data errors answer 4xx with their message; only a bug in elv answers 500.
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        const ErrorOutcome outcome = error_outcome(ep);
        send_error(res, outcome.http_status, outcome.message);
      });

  // The app's files, each with a policy that keeps the page to its own scripts and styles.
  auto send_asset = [](httplib::Response& res, const WebAsset& asset) {
    res.set_content(asset.bytes.data(), asset.bytes.size(), asset.content_type);
    res.set_header("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                   "frame-src 'self'; object-src 'none'; base-uri 'none'");
  };
  auto page = [send_asset](const httplib::Request&, httplib::Response& res) {
    send_asset(res, *find_web_asset("index.html"));
  };
  http.Get("/", page);
  http.Get("/index.html", page);
  http.Get(R"(/assets/([A-Za-z0-9_-]+\.[a-z]+))",
           [send_asset](const httplib::Request& req, httplib::Response& res) {
             const WebAsset* asset = find_web_asset(req.matches[1].str());
             if (!asset) return send_error(res, 404, "no such file in the web app");
             send_asset(res, *asset);
           });

  login_routes();
  http.Get("/api/info", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, {{"version", ELV_VERSION},
                    {"public", options.is_public},
                    {"auth", access.enabled()},
                    {"runs_dir", options.runs_dir},
                    {"host", options.host},
                    {"max_upload_mb", options.max_upload_mb},
                    {"max_train_leads", options.max_train_leads},
                    {"running_jobs", jobs.running()},
                    {"metrics", metrics_json()}});
  });

  http.Post("/api/jobs/demo",
            [this](const httplib::Request& req, httplib::Response& res) { post_demo(req, res); });
  http.Post("/api/validate",
            [this](const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader) { post_validate(req, res, reader); });
  http.Post("/api/jobs/byo",
            [this](const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader) { post_byo(req, res, reader); });

  http.Get("/api/jobs", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, jobs.list());
  });
  http.Get(R"(/api/jobs/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto job = jobs.get(req.matches[1]);
    if (!job) return send_error(res, 404, kNoSuchJob);
    send_json(res, *job);
  });
  auto cancel = [this](const httplib::Request& req, httplib::Response& res) {
    cancel_job(req.matches[1], res);
  };
  http.Post(R"(/api/jobs/([^/]+)/cancel)", cancel);
  http.Delete(R"(/api/jobs/([^/]+))", cancel);

  http.Get("/api/runs", [this](const httplib::Request&, httplib::Response& res) {
    send_json(res, list_runs(runs_dir));
  });
  http.Get(R"(/api/runs/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    const auto dir = run_folder(runs_dir, req.matches[1].str());
    if (!dir) return send_error(res, 404, "no such run");
    send_json(res, run_details(*dir));
  });
  http.Get(R"(/api/runs/([^/]+)/leaderboard/([^/]+))",
           [this](const httplib::Request& req, httplib::Response& res) {
             const auto dir = run_folder(runs_dir, req.matches[1].str());
             if (!dir) return send_error(res, 404, "no such run");
             const std::string level = req.matches[2];
             if (level != "campaign" && level != "adset")
               return send_error(res, 404, "leaderboards are 'campaign' or 'adset'");
             const auto board = leaderboard_json(*dir + "/leaderboard_" + level + ".csv");
             if (!board) return send_error(res, 404, "this run has no " + level + " leaderboard");
             send_json(res, *board);
           });
  http.Get(R"(/api/runs/([^/]+)/leads)",
           [this](const httplib::Request& req, httplib::Response& res) {
             const auto dir = run_folder(runs_dir, req.matches[1].str());
             if (!dir) return send_error(res, 404, "no such run");
             auto param = [&](const char* name) -> std::optional<std::string> {
               if (!req.has_param(name)) return std::nullopt;
               return req.get_param_value(name);
             };
             const ParsedLeadsQuery parsed = parse_leads_query(param("order"), param("limit"));
             if (!parsed.problem.empty()) return send_error(res, 400, parsed.problem);
             // Build-table and back-test runs score no leads, so they have no predictions.csv.
             const auto path = artifact_file(*dir, "predictions.csv");
             const auto leads = path ? leads_json(*path, parsed.query) : std::nullopt;
             if (!leads) return send_error(res, 404, "this run has no predictions");
             send_json(res, *leads);
           });
  http.Get(R"(/api/runs/([^/]+)/section/([^/]+))",
           [this](const httplib::Request& req, httplib::Response& res) {
             const auto dir = run_folder(runs_dir, req.matches[1].str());
             if (!dir) return send_error(res, 404, "no such run");
             const std::string html = report::render_section(*dir, req.matches[2].str());
             if (html.empty())
               return send_error(res, 404, "sections are overview, model and drift");
             res.set_content(html, "text/html; charset=utf-8");
           });
  http.Get("/api/advisor",
           [this](const httplib::Request&, httplib::Response& res) { get_advisor_status(res); });
  http.Get(R"(/api/runs/([^/]+)/advice)",
           [this](const httplib::Request& req, httplib::Response& res) { get_advice(req, res); });
  http.Post(R"(/api/runs/([^/]+)/advice/preview)",
            [this](const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader) { post_advice(req, res, reader, true); });
  http.Post(R"(/api/runs/([^/]+)/advice)",
            [this](const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader) { post_advice(req, res, reader, false); });
  http.Get(
      R"(/api/runs/([^/]+)/creatives)",
      [this](const httplib::Request& req, httplib::Response& res) { get_creatives(req, res); });
  http.Get(R"(/api/runs/([^/]+)/creatives/thumbnails/([^/]+)\.jpg)",
           [this](const httplib::Request& req, httplib::Response& res) {
             get_creative_thumbnail(req, res);
           });
  http.Post(R"(/api/runs/([^/]+)/creatives)",
            [this](const httplib::Request& req, httplib::Response& res,
                   const httplib::ContentReader& reader) { post_creatives(req, res, reader); });
  http.Get(R"(/api/runs/([^/]+)/files/(.+))",
           [this](const httplib::Request& req, httplib::Response& res) { get_run_file(req, res); });
}

namespace {
// When the request started, for the access log's duration: the pre-routing gate and the
// logger run on the connection's thread, one request at a time.
thread_local std::chrono::steady_clock::time_point request_start{};
// The POST routes the gate treats apart: starting a job costs from the job budget of the
// client's address, and a public demo takes no visitor's files.
struct GatedRoute {
  std::regex path;
  bool starts_job;
  bool takes_files;
};

const GatedRoute* gated_post_route(const httplib::Request& req) {
  static const std::vector<GatedRoute> routes = {
      {std::regex("/api/jobs/demo"), true, false},
      {std::regex("/api/jobs/byo"), true, true},
      {std::regex(R"(/api/runs/[^/]+/advice)"), true, false},
      {std::regex(R"(/api/runs/[^/]+/creatives)"), true, true},
      {std::regex("/api/validate"), false, true},
  };
  if (req.method != "POST") return nullptr;
  for (const GatedRoute& route : routes)
    if (std::regex_match(req.path, route.path)) return &route;
  return nullptr;
}

}  // namespace

std::optional<httplib::Server::HandlerResponse> Server::Impl::gate(const httplib::Request& req,
                                                                   httplib::Response& res) {
  using HR = httplib::Server::HandlerResponse;
  request_start = std::chrono::steady_clock::now();
  // Bound to this machine, the server also refuses other Host names: a web page elsewhere
  // cannot reach it by DNS rebinding.
  if (is_loopback_host(options.host)) {
    std::string host = req.get_header_value("Host");
    if (!host.empty() && host.front() == '[')
      host = host.substr(0, host.find(']') + 1);
    else
      host = host.substr(0, host.find(':'));
    if (!host.empty() && !is_loopback_host(host)) {
      send_error(res, 403, "this server only answers requests addressed to 127.0.0.1 or localhost");
      return HR::Handled;
    }
  }
  const std::string& path = req.path;
  // Quotas per client address: a burst of half a minute's requests, then the steady rate
  // (login attempts included: guessing the token is slow); starting a job costs from a
  // budget of its own. Health checks are never refused.
  const GatedRoute* route = gated_post_route(req);
  const bool starts_job = route && route->starts_job;
  for (RateLimiter* limiter : {&request_limiter, &job_limiter}) {
    if (path == "/healthz" || (limiter == &job_limiter && !starts_job)) continue;
    const RateLimiter::Decision d = limiter->take(client_address(
        req.remote_addr, req.get_header_value("X-Forwarded-For"), options.trust_proxy));
    if (d.allowed) continue;
    res.set_header("Retry-After", std::to_string(d.retry_after_seconds));
    send_error(
        res, 429,
        std::string(limiter == &job_limiter ? "too many jobs started" : "too many requests") +
            " from your address; try again in " + std::to_string(d.retry_after_seconds) + " s");
    return HR::Handled;
  }
  if (path == "/healthz" || path == "/login" || path == "/logout") return std::nullopt;
  const bool api = path.rfind("/api/", 0) == 0;
  if (access.enabled() &&
      !access.session_valid(cookie_value(req.get_header_value("Cookie"), kSessionCookie)) &&
      !access.bearer_matches(req.get_header_value("Authorization"))) {
    if (api) {
      res.set_header("WWW-Authenticate", "Bearer");
      send_error(res, 401,
                 "this server needs its access token: log in on its page, or send "
                 "Authorization: Bearer <token>");
    } else {
      // The app's own page asks for the token; anything else is not there for a stranger.
      res.status = path == "/" || path == "/index.html" ? 200 : 401;
      res.set_content(login_page(""), "text/html; charset=utf-8");
      res.set_header("Content-Security-Policy", kLoginPolicy);
    }
    return HR::Handled;
  }
  // A public demo scores the bundled data only: nothing of a visitor's is stored or trained.
  if (options.is_public && route && route->takes_files) {
    send_error(res, 403,
               "uploads are off on this public demo server: run elv on your own machine "
               "(elv serve keeps it on 127.0.0.1) to use your own files");
    return HR::Handled;
  }
  return std::nullopt;
}

void Server::Impl::login_routes() {
  http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    const Health h = check_health(runs_dir, options.min_free_disk_mb);
    send_json(res, health_json(h), h.ok() ? 200 : 503);
  });
  auto form = [](httplib::Response& res, int status, const std::string& message) {
    res.status = status;
    res.set_content(login_page(message), "text/html; charset=utf-8");
    res.set_header("Content-Security-Policy", kLoginPolicy);
  };
  http.Get("/login", [this, form](const httplib::Request&, httplib::Response& res) {
    if (!access.enabled()) return res.set_redirect("/", 303);
    form(res, 200, "");
  });
  http.Post("/login", [this, form](const httplib::Request& req, httplib::Response& res) {
    if (!access.enabled()) return res.set_redirect("/", 303);
    // The token from the form's body only, never from the URL (which proxies log).
    httplib::Params fields;
    httplib::detail::parse_query_text(req.body, fields);
    const auto it = fields.find("token");
    if (it == fields.end() || !access.token_matches(it->second))
      return form(res, 401, "That is not this server's access token.");
    // A chain of proxies lists the client's protocol first ("https, http").
    const bool tls = req.get_header_value("X-Forwarded-Proto").rfind("https", 0) == 0;
    res.set_header("Set-Cookie", std::string(kSessionCookie) + "=" + access.open_session() +
                                     "; HttpOnly; SameSite=Strict; Path=/" +
                                     (tls ? "; Secure" : ""));
    res.set_redirect("/", 303);
  });
  auto logout = [this](const httplib::Request& req, httplib::Response& res) {
    access.close_session(cookie_value(req.get_header_value("Cookie"), kSessionCookie));
    res.set_header("Set-Cookie",
                   std::string(kSessionCookie) + "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    res.set_redirect("/", 303);
  };
  http.Get("/logout", logout);
  http.Post("/logout", logout);
}

void Server::Impl::access_log(const httplib::Request& req, const httplib::Response& res) const {
  AccessRecord r;
  r.method = req.method;
  r.path = req.path;  // httplib keeps the query string apart: it is never logged
  r.status = res.status;
  r.bytes = res.body.empty() ? res.content_length_ : res.body.size();
  r.client =
      client_address(req.remote_addr, req.get_header_value("X-Forwarded-For"), options.trust_proxy);
  if (request_start != std::chrono::steady_clock::time_point{})
    r.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - request_start)
            .count();
  request_start = {};
  const std::string line = access_log_line(r, options.log_format) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

void Server::Impl::get_run_file(const httplib::Request& req, httplib::Response& res) {
  const auto dir = run_folder(runs_dir, req.matches[1].str());
  if (!dir) return send_error(res, 404, "no such run");
  const std::string name = req.matches[2];
  const auto path = artifact_file(*dir, name);
  if (!path) return send_error(res, 404, "no such file in this run");
  const std::string base = fs::path(*path).filename().string();
  const std::string ext = fs::path(*path).extension().string();
  const char* type = ext == ".html"                   ? "text/html; charset=utf-8"
                     : ext == ".csv"                  ? "text/csv; charset=utf-8"
                     : ext == ".json"                 ? "application/json"
                     : ext == ".md" || ext == ".yaml" ? "text/plain; charset=utf-8"
                                                      : "application/octet-stream";
  // Artifacts never run script, even report.html shown in the Report tab's frame.
  res.set_header("Content-Security-Policy",
                 "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  if (req.get_param_value("inline") != "1")
    res.set_header("Content-Disposition", "attachment; filename=\"" + base + "\"");
  // Stream the file: predictions.csv of a large account is hundreds of MB.
  const auto size = fs::file_size(*path);
  auto file = std::make_shared<std::ifstream>(*path, std::ios::binary);
  res.set_content_provider(size, type,
                           [file](size_t offset, size_t length, httplib::DataSink& sink) {
                             char buf[1 << 16];
                             file->seekg(static_cast<std::streamoff>(offset));
                             const size_t n = std::min(length, sizeof buf);
                             file->read(buf, static_cast<std::streamsize>(n));
                             const auto got = static_cast<size_t>(file->gcount());
                             if (got == 0) return false;
                             return sink.write(buf, got);
                           });
}

void Server::Impl::cancel_job(const std::string& id, httplib::Response& res) {
  switch (jobs.cancel(id)) {
    case CancelOutcome::kNoSuchJob:
      return send_error(res, 404, kNoSuchJob);
    case CancelOutcome::kAlreadyEnded:
      return send_error(res, 409, "this job has already ended; there is nothing to cancel");
    case CancelOutcome::kNotCancellable:
      return send_error(res, 409,
                        "a creative analysis cannot be stopped half-way (it updates the run's "
                        "report when it ends); wait for it to finish");
    case CancelOutcome::kRequested:
      break;
  }
  // Accepted: the job stops at its next stage or percent, then reads "cancelled".
  send_json(res, *jobs.get(id), 202);
}

void Server::Impl::post_demo(const httplib::Request& req, httplib::Response& res) {
  json body = json::object();
  if (!req.body.empty()) {
    body = json::parse(req.body, nullptr, false);
    if (!body.is_object()) return send_error(res, 400, "the body must be a JSON object");
  }
  run::DemoOptions demo;
  try {
    demo.train = body.value("train", false);
    if (demo.train && options.is_public)
      return send_error(res, 403,
                        "training is off on this public demo server; score the demo with the "
                        "bundled model, or run elv on your own machine to train");
    demo.model_type = body.value("model_type", std::string());
    if (body.contains("value_per_qualified")) {
      demo.value_per_qualified = body.at("value_per_qualified").get<double>();
      demo.value_source = ValueSource::kForm;
    }
    demo.seed = body.value("seed", static_cast<uint64_t>(7));
    demo.run.name = body.value("name", std::string());
  } catch (const json::exception&) {
    return send_error(res, 400,
                      "train is true/false, model_type and name strings, value_per_qualified "
                      "and seed numbers");
  }
  demo.run.name = run::checked_run_name(demo.run.name);  // UsageError: 400 with its reason
  if (!demo.model_type.empty() && !valid_model_type(demo.model_type))
    return send_error(res, 400, "model_type must be logreg, gbdt, lgbm or auto");
  if (!demo.train) demo.model_type.clear();
  if (!std::isfinite(demo.value_per_qualified) || demo.value_per_qualified <= 0)
    return send_error(
        res, 400,
        "value_per_qualified must be a number > 0 (the money one qualified lead is worth)");
  Config shape;  // the demo's files, for the progress estimate
  shape.paths.outcomes_path = shape.paths.ads_placement_path = shape.paths.ads_geo_path =
      shape.paths.adset_targeting_path = shape.paths.ad_creatives_path = "x";
  JobSpec spec;
  spec.kind = "demo";
  spec.expected_stages = expected_stages(shape, true, demo.train);
  spec.name = demo.run.name;
  const std::string id =
      jobs.start(std::move(spec), within_run_quota([this, demo](JobContext& job) mutable {
                   const std::string run_id = run::new_run_id();
                   job.will_create_run(run_id);
                   demo.run.out_dir = runs_dir + "/" + run_id;
                   demo.run.runs_root = runs_dir;
                   demo.run.threads = options.threads;
                   demo.run.progress = &job.progress();
                   demo.run.command_line =
                       demo.train ? "elv serve (web: demo, train)" : "elv serve (web: demo)";
                   run::demo_run(demo);
                   return run_id;
                 }));
  send_json(res, {{"job_id", id}}, 202);
}

std::optional<Upload> Server::Impl::receive(const httplib::Request& req, httplib::Response& res,
                                            const httplib::ContentReader& reader,
                                            const std::string& dir) {
  Upload up = receive_upload(req, reader, dir, max_file_bytes());
  std::string problem;
  int status = 400;
  if (!up.too_large.empty()) {
    status = 413;
    problem = too_large_message(up.too_large);
  } else if (!up.problem.empty()) {
    problem = up.problem;
  } else {
    assign_roles(up);  // throws UsageError (400) with discover's message
    if (!up.files.count("ads") || !up.files.count("leads"))
      problem = "ads.csv and leads.csv are required";
  }
  if (problem.empty()) return up;
  send_error(res, status, problem);
  return std::nullopt;
}

void Server::Impl::post_validate(const httplib::Request& req, httplib::Response& res,
                                 const httplib::ContentReader& reader) {
  const UploadFolder folder(new_upload_dir());
  const auto up = receive(req, res, reader, folder.path());
  if (!up) return;
  json report = contracts::to_json(
      table::validate_inputs(config_for_upload(*up, std::nullopt, ""), options.threads));
  // How each file was understood, by the names the user gave them (never a server path).
  json recognised = json::array(), ignored = json::array();
  if (up->discovered) {
    for (const auto& f : up->discovered->found)
      recognised.push_back(
          {{"role", f.spec->kind}, {"file", shown_name(*up, f.path)}, {"how", f.how}});
    for (const auto& i : up->discovered->ignored)
      ignored.push_back(
          {{"file", shown_name(*up, i.path)}, {"reason", with_upload_names(*up, i.reason)}});
  } else {
    for (const auto& [field, path] : up->files)
      if (field != "model")
        recognised.push_back(
            {{"role", field}, {"file", shown_name(*up, path)}, {"how", "by field"}});
  }
  report["recognised"] = recognised;
  report["ignored"] = ignored;
  report["question_columns"] = question_columns(*up);
  map_strings(report, [&](const std::string& t) { return with_upload_names(*up, t); });
  strip_prefix_in_strings(report, folder.path() + "/" + kDroppedSubdir + "/");
  strip_prefix_in_strings(report, folder.path() + "/");
  send_json(res, report);
}

void Server::Impl::post_byo(const httplib::Request& req, httplib::Response& res,
                            const httplib::ContentReader& reader) {
  UploadFolder folder(new_upload_dir());
  const std::string dir = folder.path();
  const auto up = receive(req, res, reader, dir);
  if (!up) return;
  auto fail = [&](const std::string& message) { send_error(res, 400, message); };
  auto field = [&](const char* name) {
    const auto it = up->fields.find(name);
    return it == up->fields.end() ? std::string() : it->second;
  };
  const bool train = truthy(field("train"));
  const bool keep = truthy(field("keep_uploads"));
  const std::string name = run::checked_run_name(field("name"));  // UsageError: 400
  const std::string model_type = field("model_type");
  std::optional<double> value;  // empty: the placeholder, and the run says so
  if (!field("value_per_qualified").empty()) {
    const auto v = non_negative(field("value_per_qualified"));
    if (!v || *v == 0)
      return fail(
          "value_per_qualified must be a number > 0 (the money one qualified lead is worth)");
    value = *v;
  }
  if (!model_type.empty() && !valid_model_type(model_type))
    return fail("model_type must be logreg, gbdt, lgbm or auto");
  int64_t cap = options.max_train_leads;
  if (!field("max_train_leads").empty()) {
    const auto v = non_negative(field("max_train_leads"));
    if (!v || *v < 1) return fail("max_train_leads must be a positive number");
    cap = std::min<int64_t>(cap, static_cast<int64_t>(*v));
  }
  if (train && !up->files.count("outcomes")) return fail("training needs outcomes.csv");
  if (!train && !up->files.count("model"))
    return fail("upload a model.json to score with, or tick train (needs outcomes.csv)");

  const Config config = config_for_upload(*up, value, model_type);
  const std::string model_path = up->files.count("model") ? up->files.at("model") : "";
  const int stages = expected_stages(config, false, train);
  auto work = [this, config, dir, keep, train, cap, model_path, name](JobContext& job) {
    const std::string run_id = run::new_run_id();
    job.will_create_run(run_id);
    const std::string final_dir = runs_dir + "/" + run_id;
    run::RunOptions ro;
    ro.name = name;
    ro.out_dir = final_dir;
    ro.runs_root = runs_dir;
    ro.threads = options.threads;
    ro.progress = &job.progress();
    ro.command_line = train ? "elv serve (web: train)" : "elv serve (web: score)";
    // Record where the uploads end up: in the run's inputs/ when kept, else only by name.
    ro.recorded_path = [dir, final_dir, keep](const std::string& path) {
      const fs::path p(path);
      if (p.parent_path() != fs::path(dir) && p.parent_path() != fs::path(dir) / kDroppedSubdir)
        return path;
      return keep ? final_dir + "/inputs/" + p.filename().string()
                  : p.filename().string() + " (uploaded, not kept)";
    };
    if (keep) {
      ro.before_commit = [dir](const std::string& work_dir) {
        fs::create_directories(fs::path(work_dir) / "inputs");
        // The drop zone's files sit one folder down; they join the others in inputs/.
        std::vector<fs::path> saved;
        for (const auto& e : fs::directory_iterator(dir))
          if (e.path().filename() != kDroppedSubdir) saved.push_back(e.path());
        if (fs::is_directory(fs::path(dir) / kDroppedSubdir))
          for (const auto& e : fs::directory_iterator(fs::path(dir) / kDroppedSubdir))
            saved.push_back(e.path());
        for (const auto& p : saved) fs::rename(p, fs::path(work_dir) / "inputs" / p.filename());
        return std::vector<std::string>{"inputs"};
      };
    }
    if (train) {
      ro.max_labeled_leads = cap;
      run::train_run(config, ro);
      const json metrics =
          json::parse(read_whole(fs::path(final_dir) / "metrics.json"), nullptr, false);
      if (metrics.is_object() && metrics.contains("data") && metrics["data"].is_object() &&
          metrics["data"].contains("n_labeled_before_cap"))
        job.note("trained on the most recent " + std::to_string(cap) + " of " +
                 std::to_string(metrics["data"]["n_labeled_before_cap"].get<int64_t>()) +
                 " leads with a known result: the web app's limit keeps runs quick; run elv "
                 "train on the command line to use them all");
    } else {
      run::ScoreOptions so;
      so.run = ro;
      so.model_path = model_path;
      run::score_run(config, so);
    }
    return run_id;
  };
  // The job owns the uploads from here: it removes them when it ends (or, should the server
  // die first, the next start does: JobSpec::temp_folder).
  auto cleanup = [dir = folder.release()] {
    std::error_code ec;
    fs::remove_all(dir, ec);
  };
  auto filter = [dir, names = *up](const std::string& message) {
    return replace_all(
        replace_all(with_upload_names(names, message), dir + "/" + kDroppedSubdir + "/", ""),
        dir + "/", "");
  };
  JobSpec spec;
  spec.kind = train ? "train" : "score";
  spec.expected_stages = stages;
  spec.name = name;
  spec.cleanup = cleanup;
  spec.filter = filter;
  spec.temp_folder = dir;
  const std::string id = jobs.start(std::move(spec), within_run_quota(work));
  send_json(res, {{"job_id", id}}, 202);
}

void Server::Impl::get_advisor_status(httplib::Response& res) const {
  const bool env_key = advisor::key_from_environment().has_value();
  const bool loopback = is_loopback_host(options.host);
  send_json(res, {{"env_key", env_key},
                  {"env_key_usable", env_key && lends_advisor_key()},
                  {"loopback", loopback},
                  {"default_model", advisor::resolve_model("")},
                  {"max_media_mb", options.max_advisor_media_mb}});
}

void Server::Impl::get_advice(const httplib::Request& req, httplib::Response& res) const {
  const auto dir = run_folder(runs_dir, req.matches[1].str());
  if (!dir) return send_error(res, 404, "no such run");
  const auto path = artifact_file(*dir, advisor::kAdviceMarkdown);
  if (!path) return send_error(res, 404, "this run has no advice yet");
  const json record =
      json::parse(read_whole(fs::path(*dir) / advisor::kAdviceRecord), nullptr, false);
  json answer = {{"html", report::markdown_to_safe_html(read_whole(*path))},
                 {"model", nullptr},
                 {"created_at", nullptr}};
  if (record.is_object()) {
    if (record.contains("model") && record["model"].is_string()) answer["model"] = record["model"];
    if (record.contains("created_at_utc") && record["created_at_utc"].is_string())
      answer["created_at"] = record["created_at_utc"];
  }
  send_json(res, answer);
}

void Server::Impl::post_advice(const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& reader, bool preview_only) {
  const std::string run_id = req.matches[1];
  const auto dir = run_folder(runs_dir, run_id);
  UploadFolder folder(new_upload_dir());
  AdviceForm form =
      receive_advice_form(req, reader, folder.path(), options.max_advisor_media_mb * 1024 * 1024);
  if (!dir) return send_error(res, 404, "no such run");
  if (form.too_large)
    return send_error(res, 413,
                      form.media_name + " is larger than " +
                          std::to_string(options.max_advisor_media_mb) +
                          " MB, the most the advisor takes; send a smaller image or a shorter "
                          "video");
  if (!form.problem.empty()) return send_error(res, 400, form.problem);
  if (form.offer.find_first_not_of(" \t\r\n") == std::string::npos)
    return send_error(res, 400, "describe your offer first: what you sell, and to whom");
  advisor::AdviceRequest request;
  request.offer = form.offer;
  request.audience = form.audience;
  if (form.media) request.media = *form.media;
  request.model = advisor::resolve_model(form.model);
  if (!options.advisor_endpoint.empty()) request.endpoint = options.advisor_endpoint;
  // The upload folder's name is ours, not the user's: messages name the file they chose.
  auto shown = [dir = folder.path(), media = form.media.value_or(""),
                name = form.media_name](const std::string& message) {
    const std::string named = media.empty() ? message : replace_all(message, media, name);
    return replace_all(replace_all(named, dir + "/", ""), dir, "");
  };
  if (preview_only) {
    try {
      return send_json(res, {{"preview", shown(advisor::request_preview(*dir, request))},
                             {"model", request.model}});
    } catch (...) {
      const ErrorOutcome outcome = error_outcome(std::current_exception());
      return send_error(res, outcome.http_status, shown(outcome.message));
    }
  }
  const KeyChoice key =
      choose_key(form.api_key, advisor::key_from_environment(), lends_advisor_key());
  if (!key.problem.empty()) return send_error(res, 400, key.problem);
  request.api_key = key.key;
  // Checked before the job starts, so that a missing artifact or a refused file answers
  // the form at once.
  try {
    advisor::request_preview(*dir, request);
  } catch (...) {
    const ErrorOutcome outcome = error_outcome(std::current_exception());
    return send_error(res, outcome.http_status, shown(outcome.message));
  }
  auto work = [run_dir = *dir, run_id, request](JobContext& job) {
    advisor::save_advice(run_dir, advisor::advise(run_dir, request, &job.progress()));
    return run_id;
  };
  const std::string upload_dir = folder.release();
  auto cleanup = [upload = upload_dir] {
    std::error_code ec;
    fs::remove_all(upload, ec);
  };
  // The advisor never puts the key in a message; this is the second lock on that door.
  auto filter = [shown, secret = key.key](const std::string& message) {
    return replace_all(shown(message), secret, "[key hidden]");
  };
  JobSpec spec;
  spec.kind = "advice";
  spec.expected_stages = 3;
  spec.cleanup = cleanup;
  spec.filter = filter;
  spec.temp_folder = upload_dir;
  const std::string id = jobs.start(std::move(spec), within_run_quota(work));
  send_json(res, {{"job_id", id}}, 202);
}

void Server::Impl::get_creatives(const httplib::Request& req, httplib::Response& res) const {
  const std::string run_id = req.matches[1];
  const auto dir = run_folder(runs_dir, run_id);
  if (!dir) return send_error(res, 404, "no such run");
  const auto body = creatives_json(*dir, run_id);
  if (!body)
    return send_error(res, 404,
                      "this run has no creative analysis yet: upload creative_media.csv with the "
                      "pictures and videos it names (or elv creative-analyze --run-dir)");
  send_json(res, *body);
}

void Server::Impl::get_creative_thumbnail(const httplib::Request& req,
                                          httplib::Response& res) const {
  const auto dir = run_folder(runs_dir, req.matches[1].str());
  if (!dir) return send_error(res, 404, "no such run");
  const auto path = creative_thumbnail(*dir, req.matches[2].str());
  if (!path) return send_error(res, 404, "no such thumbnail in this run's creative analysis");
  res.set_header("Content-Security-Policy", "sandbox; default-src 'none'");
  res.set_content(read_whole(*path), "image/jpeg");
}

void Server::Impl::post_creatives(const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
  const std::string run_id = req.matches[1];
  const auto dir = run_folder(runs_dir, run_id);
  UploadFolder folder(new_upload_dir());
  const CreativeUpload up =
      receive_creative_upload(req, reader, folder.path(), max_file_bytes(), max_creative_bytes());
  if (!dir) return send_error(res, 404, "no such run");
  if (up.too_large == "the media files together")
    return send_error(res, 413,
                      "the media files together are larger than " +
                          std::to_string(max_creative_bytes() >> 20) +
                          " MB, the most one upload takes; use elv creative-analyze for more");
  if (!up.too_large.empty()) return send_error(res, 413, too_large_message(up.too_large));
  if (!up.problem.empty()) return send_error(res, 400, up.problem);
  if (up.csv.empty())
    return send_error(res, 400,
                      "creative_media.csv is required: one row per ad, with columns ad_id and "
                      "media_path (the file's name, or its path inside the zip)");
  if (up.zip.empty() && up.files == 0)
    return send_error(res, 400,
                      "send the pictures and videos creative_media.csv names, or one .zip of them");
  if (!artifact_file(*dir, "predictions.csv"))
    return send_error(res, 400,
                      "this run has no predictions.csv: analyse creatives against a run that "
                      "scored leads (train or score), so each cluster's lead value can be told");
  if (!up.zip.empty()) {
    ZipLimits limits;
    limits.max_entry_bytes = max_file_bytes();
    limits.max_total_bytes = max_creative_bytes();
    extract_zip(up.zip, up.media_dir, limits);  // UsageError (400) naming the entry
    std::error_code ec;
    fs::remove(up.zip, ec);
  }
  auto work = [run_dir = *dir, run_id, up, threads = options.threads,
               root = runs_dir](JobContext& job) {
    run::CreativeRunOptions o;
    o.creative_map = up.csv;
    o.media_dir = up.media_dir;
    o.run_dir = run_dir;
    o.runs_root = root;
    o.embed.threads = threads;
    const run::CreativeRunResult result = run::creative_analyze(o, &job.progress());
    job.note(std::to_string(result.analysed) + " creatives analysed in " +
             std::to_string(result.clusters) + " clusters");
    if (result.skipped > 0)
      job.note(std::to_string(result.skipped) +
               " files skipped: see creative_errors.csv in the Creatives tab");
    return run_id;
  };
  const std::string upload_dir = folder.release();
  auto cleanup = [upload = upload_dir] {
    std::error_code ec;
    fs::remove_all(upload, ec);
  };
  // Messages name files as the CSV and the zip do, never by the server's upload folder.
  auto filter = [media = up.media_dir + "/",
                 base = fs::path(up.csv).parent_path().string()](const std::string& message) {
    return replace_all(replace_all(replace_all(message, media, ""), base + "/", ""), base, "");
  };
  JobSpec spec;
  spec.kind = "creatives";
  spec.expected_stages = 5;
  spec.cleanup = cleanup;
  spec.filter = filter;
  spec.temp_folder = upload_dir;
  spec.cancellable = false;  // it rebuilds the run's report.html after its folder is in place
  const std::string id = jobs.start(std::move(spec), within_run_quota(work));
  send_json(res, {{"job_id", id}}, 202);
}

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(); }

int Server::bind() {
  const auto& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(o.host);
    if (port < 0) throw Error("cannot listen on " + o.host + " (any port)");
  } else if (!impl_->http.bind_to_port(o.host, port)) {
    throw Error("cannot listen on " + o.host + ":" + std::to_string(port) +
                " (is another elv serve running? choose another --port)");
  }
  // Debian's compiled httplib listens with a queue of 5 connections, so a burst of new
  // connections is dropped and their clients retry after seconds. Linux lets listen() be
  // called again on a listening socket to lengthen that queue.
  if (impl_->listen_socket >= 0) ::listen(impl_->listen_socket, kListenQueue);
  return port;
}

void Server::run() { impl_->http.listen_after_bind(); }
void Server::stop() {
  if (impl_->http.is_running()) impl_->http.stop();
}
bool Server::is_running() const { return impl_->http.is_running(); }
int Server::finish_jobs(int grace_seconds) {
  return impl_->jobs.drain(std::chrono::seconds(std::max(0, grace_seconds)));
}

std::string bind_refusal(const ServerOptions& o) {
  return bind_refusal(o.host, !o.auth_token.empty(), o.is_public);
}

}  // namespace elv::server
