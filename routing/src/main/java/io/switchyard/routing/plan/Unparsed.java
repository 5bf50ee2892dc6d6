package io.switchyard.routing.plan;

import io.switchyard.routing.plan.SqlLexer.Token;
import java.util.List;
import java.util.Optional;

/**
 * Statements the SQL parser library cannot read (MySQL has syntax it lacks, such as {@code LOCK IN SHARE MODE}).
 * They still run when routing cannot be wrong: the session keyspace is unsharded, no routing rule could redirect a
 * table it names, and it names no other keyspace. Anything else is refused as a syntax error the gateway cannot
 * route, with the parser's message.
 */
final class Unparsed {

    private Unparsed() {
    }

    static Template plan(PlanContext context, Exception parseError) {
        String sql = context.markedSql;
        Optional<KeyspaceSchema> session = context.resolver.sessionKeyspace();
        RoutingSnapshot snapshot = context.resolver.snapshot();
        if (session.isPresent() && !session.get().sharded()
                && !snapshot.routingRules().redirectsFrom(session.get().name())
                && !namesOtherKeyspace(sql, session.get().name(), snapshot)) {
            return RoutedTemplate.unsharded(context.kind, session.get(), context.original(), List.of());
        }
        String message = parseError.getMessage() == null ? parseError.toString() : parseError.getMessage();
        String firstLine = message.lines().findFirst().orElse(message);
        throw RoutingException.syntax("You have an error in your SQL syntax, or syntax the gateway cannot route"
                + " across keyspaces or shards: " + firstLine);
    }

    /** Whether some {@code ks.} qualifier names a keyspace other than the session's. */
    private static boolean namesOtherKeyspace(String sql, String session, RoutingSnapshot snapshot) {
        List<Token> tokens = SqlLexer.significant(sql);
        for (int i = 0; i + 1 < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (SqlLexer.isIdentifier(token) && tokens.get(i + 1).isOp(sql, ".")) {
                String name = SqlLexer.identifier(sql, token);
                if (!name.equals(session) && snapshot.keyspaces().containsKey(name)) {
                    return true;
                }
            }
        }
        return false;
    }
}
