import type { Database } from '../db/prisma.js';

export interface WhitelistRecord {
  id: number;
  address: string | null;
  name: string | null;
  label: string;
  addedBy: string;
  createdAt: string;
  /** Name-only entries can be spoofed by any phone that picks the same name (DESIGN.md). */
  strength: 'address' | 'address+name' | 'name-only';
}

export interface WhitelistInput {
  address?: string | null | undefined;
  name?: string | null | undefined;
  label?: string | undefined;
}

function toRecord(row: {
  id: number;
  address: string | null;
  name: string | null;
  label: string;
  addedBy: string;
  createdAt: Date;
}): WhitelistRecord {
  return {
    id: row.id,
    address: row.address,
    name: row.name,
    label: row.label,
    addedBy: row.addedBy,
    createdAt: row.createdAt.toISOString(),
    strength: row.address ? (row.name ? 'address+name' : 'address') : 'name-only',
  };
}

export class WhitelistStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<WhitelistRecord[]> {
    const rows = await this.db.whitelistEntry.findMany({ orderBy: { id: 'asc' } });
    return rows.map(toRecord);
  }

  async get(id: number): Promise<WhitelistRecord | null> {
    const row = await this.db.whitelistEntry.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async findByAddress(address: string): Promise<WhitelistRecord | null> {
    const row = await this.db.whitelistEntry.findUnique({ where: { address } });
    return row ? toRecord(row) : null;
  }

  async add(input: WhitelistInput, addedBy: string): Promise<WhitelistRecord> {
    const row = await this.db.whitelistEntry.create({
      data: {
        address: input.address ?? null,
        name: input.name ?? null,
        label: input.label ?? input.name ?? input.address ?? '',
        addedBy,
      },
    });
    return toRecord(row);
  }

  async update(id: number, input: WhitelistInput): Promise<WhitelistRecord> {
    const row = await this.db.whitelistEntry.update({
      where: { id },
      data: {
        ...(input.address !== undefined ? { address: input.address } : {}),
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.label !== undefined ? { label: input.label } : {}),
      },
    });
    return toRecord(row);
  }

  async remove(id: number): Promise<WhitelistRecord> {
    return toRecord(await this.db.whitelistEntry.delete({ where: { id } }));
  }
}
