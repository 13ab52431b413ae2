"""The weekly digest per unit ("Bản tin tuần"): a page, its JSON twin and an e-mail sent
by the job system's ``digest`` kind (docs/web.md, "Bản tin tuần")."""
