package io.switchyard.admin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** The gateway's JSON API over {@link HttpClient}, with HTTP Basic credentials on every request. */
final class ApiClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Creating or verifying can take a while: the gateway answers when the statement finishes. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    /** A request that failed: the API's error, or the gateway not answering (status 0). */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final int code;

        Failure(int status, int code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        int status() {
            return status;
        }

        int code() {
            return code;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final ObjectMapper json;

    ApiClient(String host, int port, String user, String password, ObjectMapper json) {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.base = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        this.json = json;
    }

    JsonNode get(String path) throws Failure, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    JsonNode delete(String path) throws Failure, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    JsonNode post(String path, JsonNode body) throws Failure, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private JsonNode send(HttpRequest.Builder request) throws Failure, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request.header("Authorization", authorization).timeout(REQUEST_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new Failure(0, 0, "cannot connect to the gateway's HTTP port at " + base + " (is it running?"
                    + " set --host and --port)");
        } catch (IOException e) {
            throw new Failure(0, 0, "HTTP request to " + base + " failed: " + e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            throw new Failure(response.statusCode(), 0, "the gateway answered HTTP " + response.statusCode()
                    + " with a body that is not JSON: " + abbreviate(response.body()));
        }
        if (response.statusCode() >= 400) {
            JsonNode error = body.path("error");
            throw new Failure(response.statusCode(), error.path("code").asInt(0),
                    error.path("message").asText(abbreviate(response.body())));
        }
        return body;
    }

    private static String abbreviate(String text) {
        String line = text.strip();
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
