import { createConnection } from 'mysql2/promise';
import { Client } from 'pg';
import type { DatabaseServer } from './database-servers';

/**
 * The sample database the tests, `npm start` and the demo scan: customers with e-mail addresses, payments with card
 * numbers (Luhn-valid test numbers), employees with an employee id (`EMP-123456`, found by a custom rule), a view over
 * customers, and (PostgreSQL) a second schema. `rows` per table, at least 16 so classification has distinct values.
 */
export const SAMPLE_DATABASE = 'sales';
export const EMPLOYEE_ID_PATTERN = '^EMP-[0-9]{6}$';

/** A Visa-like test number with a correct Luhn check digit. */
export function cardNumber(i: number): string {
  const body = `411111${String(100000000 + i * 7919).slice(-9)}`;
  for (let d = 0; d <= 9; d++) if (luhn(body + d)) return body + d;
  throw new Error('unreachable');
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

const people = (rows: number) =>
  Array.from({ length: rows }, (_, i) => ({
    id: i + 1,
    name: `Customer ${i + 1}`,
    email: `customer${i + 1}@contoso.com`,
    card: cardNumber(i + 1),
    employeeId: `EMP-${String(100000 + i * 37).padStart(6, '0')}`,
    amount: ((i * 17) % 1000) + 0.5,
  }));

const quote = (v: string | number) => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);
const values = (rows: (string | number)[][]) => rows.map((r) => `(${r.map(quote).join(', ')})`).join(',\n');

/** Creates the sample database on a PostgreSQL server (dropping an older one). */
export async function seedPostgresSample(server: DatabaseServer, rows = 24, database = SAMPLE_DATABASE): Promise<void> {
  const login = { host: server.host, port: server.port, user: server.user, password: server.password };
  const admin = new Client({ ...login, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const client = new Client({ ...login, database });
  await client.connect();
  try {
    const data = people(rows);
    await client.query(`
      CREATE SCHEMA hr;
      CREATE TABLE public.customers (id integer PRIMARY KEY, name varchar(120) NOT NULL, email varchar(200), created_at timestamptz DEFAULT now());
      CREATE TABLE public.payments (payment_id bigint PRIMARY KEY, customer_id integer NOT NULL REFERENCES public.customers(id), card_number char(16), amount numeric(10,2));
      CREATE TABLE hr.employees (employee_id varchar(10) PRIMARY KEY, full_name text NOT NULL, manager_email text);
      CREATE VIEW public.customer_contacts AS SELECT id, name, email FROM public.customers;
      INSERT INTO public.customers (id, name, email) VALUES ${values(data.map((p) => [p.id, p.name, p.email]))};
      INSERT INTO public.payments VALUES ${values(data.map((p) => [p.id * 10, p.id, p.card, p.amount]))};
      INSERT INTO hr.employees VALUES ${values(data.map((p) => [p.employeeId, p.name, p.email]))};
      ANALYZE;`);
  } finally {
    await client.end();
  }
}

/** Creates the sample database on a MariaDB/MySQL server (dropping an older one). No second schema: MySQL has none. */
export async function seedMysqlSample(server: DatabaseServer, rows = 24, database = SAMPLE_DATABASE): Promise<void> {
  const connection = await createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    multipleStatements: true,
  });
  try {
    const data = people(rows);
    await connection.query(`
      DROP DATABASE IF EXISTS \`${database}\`;
      CREATE DATABASE \`${database}\`;
      USE \`${database}\`;
      CREATE TABLE customers (id int PRIMARY KEY, name varchar(120) NOT NULL, email varchar(200));
      CREATE TABLE payments (payment_id bigint PRIMARY KEY, customer_id int NOT NULL, card_number char(16), amount decimal(10,2));
      CREATE TABLE employees (employee_id varchar(10) PRIMARY KEY, full_name text NOT NULL, manager_email text);
      CREATE VIEW customer_contacts AS SELECT id, name, email FROM customers;
      INSERT INTO customers VALUES ${values(data.map((p) => [p.id, p.name, p.email]))};
      INSERT INTO payments VALUES ${values(data.map((p) => [p.id * 10, p.id, p.card, p.amount]))};
      INSERT INTO employees VALUES ${values(data.map((p) => [p.employeeId, p.name, p.email]))};
      ANALYZE TABLE customers, payments, employees;`);
  } finally {
    await connection.end();
  }
}
