# Run by `odoo shell` on a fresh demo database (real-odoo/database.ts): adds an internal user with only
# Sales and Inventory user rights, and an API key for admin, demo and that user. API keys can only be
# made inside Odoo (res.users.apikeys._generate is private); the keys are printed once, as JSON, on a
# line of their own, and stored hashed by Odoo.
import json

from odoo import Command

Users = env['res.users']
# 19.0 keeps the groups a user was given in group_ids; 17.0 and 18.0 in groups_id.
groups_field = 'group_ids' if 'group_ids' in Users._fields and Users._fields['group_ids'].store else 'groups_id'
Users.create({
    'name': 'Carla Clerk',
    'login': 'clerk',
    'password': 'clerk',
    'email': 'clerk@example.com',
    groups_field: [Command.set([env.ref(xml_id).id for xml_id in (
        'base.group_user', 'sales_team.group_sale_salesman', 'stock.group_stock_user')])],
})


def api_key(user):
    keys = env['res.users.apikeys'].with_user(user).sudo()
    try:  # 18.0 on: a key without expiry date lives until revoked (sudo lets a non-admin have one)
        return keys._generate(None, 'odoo-mcp tests', None)
    except TypeError:  # 17.0: _generate(scope, name)
        return keys._generate(None, 'odoo-mcp tests')


users = []
for login in ('admin', 'demo', 'clerk'):
    user = Users.search([('login', '=', login)])
    users.append({'login': login, 'password': login, 'apiKey': api_key(user)})
env.cr.commit()
print('ODOO_MCP_USERS=' + json.dumps(users))
