package io.switchyard.replication.copy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TargetSchemaTest {
    private static final String SHOW_CREATE = """
            CREATE TABLE `orders` (
              `id` bigint(20) NOT NULL,
              `customer_id` bigint(20) NOT NULL,
              `key` varchar(10) DEFAULT NULL,
              `note` text DEFAULT NULL,
              PRIMARY KEY (`id`),
              UNIQUE KEY `uk_key` (`key`),
              KEY `idx_customer` (`customer_id`),
              FULLTEXT KEY `ft_note` (`note`),
              CONSTRAINT `fk_customer` FOREIGN KEY (`customer_id`) REFERENCES `customer` (`id`)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci""";

    @Test
    void defersEverySecondaryKeyButKeepsPrimaryKeyAndConstraints() {
        TargetSchema.TableDefinition definition = TargetSchema.define("orders", SHOW_CREATE, true);

        assertEquals("""
                CREATE TABLE `orders` (
                  `id` bigint(20) NOT NULL,
                  `customer_id` bigint(20) NOT NULL,
                  `key` varchar(10) DEFAULT NULL,
                  `note` text DEFAULT NULL,
                  PRIMARY KEY (`id`),
                  CONSTRAINT `fk_customer` FOREIGN KEY (`customer_id`) REFERENCES `customer` (`id`)
                ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci""", definition.createTable());
        assertEquals(List.of("UNIQUE KEY `uk_key` (`key`)", "KEY `idx_customer` (`customer_id`)",
                "FULLTEXT KEY `ft_note` (`note`)"), definition.deferredKeys());
        assertEquals(Optional.of("ALTER TABLE `customer`.`orders` ADD UNIQUE KEY `uk_key` (`key`),"
                + " ADD KEY `idx_customer` (`customer_id`), ADD FULLTEXT KEY `ft_note` (`note`)"),
                definition.addDeferredKeys("customer"));
    }

    @Test
    void keepsTheStatementAsIsWhenNotDeferring() {
        TargetSchema.TableDefinition definition = TargetSchema.define("orders", SHOW_CREATE, false);

        assertEquals(SHOW_CREATE, definition.createTable());
        assertEquals(Optional.empty(), definition.addDeferredKeys("customer"));
    }
}
