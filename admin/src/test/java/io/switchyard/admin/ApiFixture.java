package io.switchyard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.sandbox.Sandbox;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the admin module's workflow ITs share: a config moving {@code commerce} (unsharded) to {@code customer}
 * (sharded by hash(customer_id)) with three users, and JSON calls to a gateway's HTTP port.
 */
final class ApiFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** An HTTP answer: status, headers and the body parsed as JSON. */
    record Answer(int status, HttpResponse<String> raw, JsonNode body) {
        String errorMessage() {
            return body.path("error").path("message").asText();
        }

        int errorCode() {
            return body.path("error").path("code").asInt();
        }
    }

    private ApiFixture() {
    }

    /** Users: root (admin, no password), ops/s3cret (admin), app/app (not admin). */
    static SwitchyardConfig config(Sandbox sandbox) {
        return ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                  - {name: ops, password: s3cret, role: admin}
                  - {name: app, password: app, role: app}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                keyspaces:
                  - name: commerce
                    shards:
                      - {name: "0", primary: %s}
                  - name: customer
                    sharded: true
                    shards:
                      - {name: "-80", primary: %s}
                      - {name: "80-", primary: %s}
                    vschema:
                      vindexes:
                        hash: {type: hash}
                      tables:
                        customer:
                          column_vindexes: [{column: customer_id, name: hash}]
                """.formatted(sandbox.topology().address(), sandbox.primary("commerce", "0").address(),
                sandbox.primary("customer", "-80").address(), sandbox.primary("customer", "80-").address()),
                (p, n) -> Optional.empty());
    }

    /** {@code rows} customers in commerce.customer, ids 1..rows. */
    static void customers(Sandbox sandbox, int rows) {
        sandbox.primary("commerce", "0").execute(
                "CREATE TABLE commerce.customer (customer_id bigint PRIMARY KEY, email varchar(64))",
                "INSERT INTO commerce.customer SELECT seq, CONCAT('c', seq, '@example.com') FROM commerce.seq_1_to_"
                        + rows);
    }

    /** Rows of customer.customer on both target shards together. */
    static int targetCount(Sandbox sandbox) {
        return Integer.parseInt(sandbox.primary("customer", "-80").query("SELECT COUNT(*) FROM customer.customer")
                .get(0).get(0)) + Integer.parseInt(sandbox.primary("customer", "80-").query(
                "SELECT COUNT(*) FROM customer.customer").get(0).get(0));
    }

    static void awaitTargetCount(Sandbox sandbox, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (targetCount(sandbox) != expected) {
            assertTrue(System.nanoTime() < deadline, "target has " + targetCount(sandbox) + " rows, expected "
                    + expected);
            Thread.sleep(100);
        }
    }

    /**
     * @param credentials {@code user:password} for HTTP Basic, or null for no Authorization header
     * @param body        JSON text, or null for none
     */
    static Answer call(Gateway gateway, String method, String path, String credentials, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + gateway.httpAddress().getPort() + path)).method(method, body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response, JSON.readTree(response.body()));
    }
}
