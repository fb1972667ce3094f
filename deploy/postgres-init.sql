-- The authorization server's database; its tables are created by the server itself.
CREATE DATABASE odoo_mcp;
