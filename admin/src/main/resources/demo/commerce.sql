-- Schema and sample rows of the Vitess local example (keyspace `commerce`).
CREATE TABLE product (
  sku varbinary(128),
  description varbinary(128),
  price bigint,
  PRIMARY KEY (sku)
) ENGINE=InnoDB;

CREATE TABLE customer (
  customer_id bigint NOT NULL AUTO_INCREMENT,
  email varbinary(128),
  PRIMARY KEY (customer_id)
) ENGINE=InnoDB;

CREATE TABLE corder (
  order_id bigint NOT NULL AUTO_INCREMENT,
  customer_id bigint,
  sku varbinary(128),
  price bigint,
  PRIMARY KEY (order_id)
) ENGINE=InnoDB;

-- Sequences (Vitess layout: one row, id 0) that back the auto-increment columns once
-- customer and corder move to the sharded keyspace; they start past the sample rows.
CREATE TABLE customer_seq (id int, next_id bigint, cache bigint, PRIMARY KEY (id)) COMMENT 'vitess_sequence';
INSERT INTO customer_seq (id, next_id, cache) VALUES (0, 1000, 100);
CREATE TABLE order_seq (id int, next_id bigint, cache bigint, PRIMARY KEY (id)) COMMENT 'vitess_sequence';
INSERT INTO order_seq (id, next_id, cache) VALUES (0, 1000, 100);

INSERT INTO customer (email) VALUES ('alice@domain.com'), ('bob@domain.com'), ('charlie@domain.com'),
  ('dan@domain.com'), ('eve@domain.com');
INSERT INTO product (sku, description, price) VALUES ('SKU-1001', 'Monitor', 100), ('SKU-1002', 'Keyboard', 30);
INSERT INTO corder (customer_id, sku, price) VALUES (1, 'SKU-1001', 100), (2, 'SKU-1002', 30),
  (3, 'SKU-1002', 30), (4, 'SKU-1002', 30), (5, 'SKU-1002', 30);
