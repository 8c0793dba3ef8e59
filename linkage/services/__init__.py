"""Every write of the linkage app, one module per area (STYLE §1): playbooks (versions, drafts and their moves),
acknowledgements, kit (each site's support kit)."""
