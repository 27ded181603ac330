CREATE TABLE products (id serial primary key, name text);
