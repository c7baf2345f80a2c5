-- CreateTable
CREATE TABLE "WhitelistEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "address" TEXT,
    "name" TEXT,
    "label" TEXT NOT NULL,
    "addedBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ConnectionSession" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "peerAddress" TEXT NOT NULL,
    "peerName" TEXT,
    "method" TEXT NOT NULL,
    "groupIfname" TEXT,
    "ip" TEXT,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "connectedAt" DATETIME,
    "endedAt" DATETIME,
    "endReason" TEXT
);

-- CreateTable
CREATE TABLE "EventLogEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "peerAddress" TEXT,
    "summary" TEXT NOT NULL,
    "data" TEXT
);

-- CreateTable
CREATE TABLE "AuditEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" TEXT
);

-- CreateIndex
CREATE UNIQUE INDEX "WhitelistEntry_address_key" ON "WhitelistEntry"("address");

-- CreateIndex
CREATE INDEX "ConnectionSession_startedAt_idx" ON "ConnectionSession"("startedAt");

-- CreateIndex
CREATE INDEX "ConnectionSession_peerAddress_idx" ON "ConnectionSession"("peerAddress");

-- CreateIndex
CREATE INDEX "EventLogEntry_at_idx" ON "EventLogEntry"("at");

-- CreateIndex
CREATE INDEX "EventLogEntry_type_idx" ON "EventLogEntry"("type");

-- CreateIndex
CREATE INDEX "AuditEntry_at_idx" ON "AuditEntry"("at");
