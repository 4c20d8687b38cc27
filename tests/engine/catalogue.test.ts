// The default normalization catalogue (catalogue/normalization.json): every rule reads, it names
// the publishers license audits turn on and ignores the free runtimes, and names already canonical
// (the demo estate's) pass through it unchanged.

import { describe, expect, it } from 'vitest';
import { catalogueRules } from '../../catalogue';
import { normShared } from '../../engine/cells';
import { Normalizer } from '../../engine/normalize/normalizer';
import { parseRow, type NormalizationRule } from '../../engine/rows';
import { PRODUCTS } from '../../estate/catalog';

const rows = catalogueRules().map((r, i) => parseRow('normalization', `c${String(i).padStart(4, '0')}`, r as unknown as Record<string, unknown>) as NormalizationRule);
const normalizer = new Normalizer(rows);
const norm = (publisher: string, product: string) => normalizer.normalize(normShared(publisher), normShared(product));

describe('the default catalogue', () => {
  it('reads without a problem, every rule doing something, ids unique', () => {
    expect(rows.flatMap((r) => r.problems)).toEqual([]);
    expect(rows.every((r) => r.valid)).toBe(true);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect(normalizer.size).toBe(rows.length);
  });

  it('turns the raw names of the publishers audits turn on into the names entitlements use', () => {
    const cases: [string, string, string, string, string | null, string | null][] = [
      // raw publisher, raw product → publisher, product, version, edition
      ['Microsoft Corporation', 'Microsoft Office Professional Plus 2019 - en-us', 'microsoft', 'office professional plus', '2019', null],
      ['Microsoft Corporation', 'Microsoft Visio Standard 2021 - de-de', 'microsoft', 'visio', '2021', 'standard'],
      ['Microsoft Corporation', 'Microsoft SQL Server 2019 (64-bit)', 'microsoft', 'sql server', '2019', null],
      ['Microsoft Corporation', 'Microsoft Visual Studio Professional 2022', 'microsoft', 'visual studio professional', '2022', null],
      ['Oracle Corporation', 'Java 8 Update 401 (64-bit)', 'oracle', 'java se', '8', null],
      ['Oracle Corporation', 'Java(TM) SE Development Kit 17.0.9 (64-bit)', 'oracle', 'java se', '17', null],
      ['International Business Machines Corporation', 'IBM SPSS Statistics 29', 'ibm', 'spss statistics', '29', null],
      ['Adobe Inc.', 'Adobe Acrobat 2020 Pro', 'adobe', 'acrobat pro', '2020', null],
      ['Adobe Systems Incorporated', 'Adobe Photoshop 2024', 'adobe', 'photoshop', '2024', null],
      ['SAP SE', 'SAP GUI for Windows 7.70 (Patchlevel 3)', 'sap', 'sap gui for windows', '7.70', null],
      ['VMware, Inc.', 'VMware Workstation', 'vmware', 'workstation pro', null, null],
      ['Broadcom Inc.', 'VMware Horizon Agent', 'vmware', 'vmware horizon agent', null, null],
      ['Citrix Systems, Inc.', 'Citrix Virtual Delivery Agent 2203', 'citrix', 'virtual apps and desktops', null, null],
      ['Red Hat, Inc.', 'Red Hat JBoss Enterprise Application Platform 7', 'red hat', 'jboss enterprise application platform', '7', null],
      ['Autodesk, Inc.', 'AutoCAD 2024 - English', 'autodesk', 'autocad', '2024', null],
      ['Autodesk, Inc.', 'AutoCAD LT 2025', 'autodesk', 'autocad lt', '2025', null],
      ['Tableau Software, LLC', 'Tableau 2024.2 (20242.24.0611.0818)', 'salesforce', 'tableau desktop', '2024.2', null],
      ['BMC Software, Inc.', 'BMC Client Management Agent', 'bmc', 'client management', null, null],
    ];
    for (const [pub, prod, publisher, product, version, edition] of cases) {
      const n = norm(pub, prod);
      expect([n.publisher, n.product, n.version, n.edition], `${pub} / ${prod}`).toEqual([publisher, product, version, edition]);
      expect(n.ignored).toBe(false);
    }
  });

  it('ignores free runtimes, updates, language packs, components and drivers', () => {
    const ignored: [string, string][] = [
      ['Microsoft Corporation', 'Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130'],
      ['Microsoft Corporation', 'Microsoft Visual C++ 2019 X64 Minimum Runtime - 14.29.30133'],
      ['Microsoft Corporation', 'Microsoft .NET Runtime - 8.0.1 (x64)'],
      ['Microsoft Corporation', 'Microsoft Windows Desktop Runtime - 6.0.25 (x64)'],
      ['Microsoft Corporation', 'Microsoft ASP.NET Core 8.0.1 - Shared Framework (x64)'],
      ['Microsoft Corporation', 'Microsoft Edge WebView2 Runtime'],
      ['Microsoft Corporation', 'Microsoft Office Proofing Tools 2016 - English'],
      ['Microsoft Corporation', 'Microsoft Office 64-bit MUI (English) 2016'],
      ['Microsoft Corporation', 'Update for Microsoft Office 2016 (KB5002050) 64-Bit Edition'],
      ['Microsoft Corporation', 'Microsoft SQL Server 2019 Setup (English)'],
      ['Oracle Corporation', 'Java Auto Updater'],
      ['Eclipse Adoptium', 'Eclipse Temurin JDK with Hotspot 17.0.9+9 (x64)'],
      ['Adobe Inc.', 'Adobe Acrobat Reader DC MUI'],
      ['Adobe Inc.', 'Adobe Genuine Service'],
      ['Autodesk, Inc.', 'Autodesk Material Library 2024'],
      ['Autodesk, Inc.', 'AutoCAD 2024 Language Pack - English'],
      ['Citrix Systems, Inc.', 'Citrix Workspace 2311'],
      ['VMware, Inc.', 'VMware Tools'],
      ['Broadcom Inc.', 'VMware Tools'],
      ['Red Hat, Inc.', 'Red Hat VirtIO Ethernet Adapter'],
      ['Intel Corporation', 'Intel(R) Chipset Device Software'],
      ['NVIDIA Corporation', 'NVIDIA Graphics Driver 546.01'],
      ['Realtek Semiconductor Corp.', 'Realtek High Definition Audio Driver'],
      ['SAP SE', 'SAP Crystal Reports runtime engine for .NET Framework (64-bit)'],
    ];
    for (const [pub, prod] of ignored) expect(norm(pub, prod).ignored, `${pub} / ${prod}`).toBe(true);
  });

  it('leaves names that could be more than one product for a person to decide', () => {
    expect(norm('Adobe Inc.', 'Adobe Acrobat DC (64-bit)').productRule).toBe(null);
    expect(norm('Oracle Corporation', 'Oracle Database 19c').productRule).toBe(null);
  });

  it('passes names that are canonical already (the demo estate\'s) through unchanged, ignoring only runtimes', () => {
    const ignored: string[] = [];
    for (const p of PRODUCTS) {
      const n = norm(p.publisher, p.product);
      if (n.ignored) { ignored.push(`${p.publisher} / ${p.product}`); continue; }
      expect([n.publisher, n.product], `${p.publisher} / ${p.product}`).toEqual([normShared(p.publisher), normShared(p.product)]);
    }
    expect(ignored).toEqual([]);
  });
});
